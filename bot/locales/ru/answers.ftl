# Why an answer to a questionnaire question is not accepted (bot/questionnaires/answers.py, InvalidAnswer),
# and how an answer reads in a summary. The questionnaire dialog passes the person's audience; the curator
# sees the same refusals when correcting a name.

## audience: pupil adult curator

answer-choose-one = Здесь нужно выбрать вариант кнопкой ниже.
answer-choose-many = Здесь нужно отметить варианты кнопками ниже, потом нажать «Готово».
answer-no-such-option = { $audience ->
    [pupil] Такого варианта нет. Выбери, пожалуйста, кнопкой ниже.
   *[other] Такого варианта нет. Выберите, пожалуйста, кнопкой ниже.
}
answer-required = { $audience ->
    [pupil] Без ответа на этот вопрос дальше не получится — ответь, пожалуйста.
   *[other] Без ответа на этот вопрос дальше не получится — ответьте, пожалуйста.
}
answer-empty = { $audience ->
    [pupil] Ответ пустой — напиши, пожалуйста, хотя бы пару слов.
   *[other] Ответ пустой — напишите, пожалуйста, хотя бы пару слов.
}
answer-control = { $audience ->
    [pupil] В ответе есть служебные символы. Напиши, пожалуйста, обычным текстом.
   *[other] В ответе есть служебные символы. Напишите, пожалуйста, обычным текстом.
}
answer-no-words = { $audience ->
    [pupil] Напиши, пожалуйста, словами — одни смайлики и знаки не подойдут.{ $skippable ->
        [yes] { " " }Если не хочешь отвечать, этот вопрос можно пропустить.
       *[no] { "" }
    }
   *[other] Напишите, пожалуйста, словами — одни смайлики и знаки не подойдут.{ $skippable ->
        [yes] { " " }Если не хотите отвечать, этот вопрос можно пропустить.
       *[no] { "" }
    }
}
answer-too-long = { $audience ->
    [pupil] Слишком длинно: { $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }, можно до { $limit }. Сократи, пожалуйста.
   *[other] Слишком длинно: { $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }, можно до { $limit }. Сократите, пожалуйста.
}
answer-too-short = { $audience ->
    [pupil] Слишком коротко: нужно хотя бы { $n } { $n ->
        [one] символ
        [few] символа
       *[many] символов
    }.
   *[other] Слишком коротко: нужно хотя бы { $n } { $n ->
        [one] символ
        [few] символа
       *[many] символов
    }.
}
answer-too-few = { $audience ->
    [pupil] Отметь хотя бы { $n } { $n ->
        [one] вариант
        [few] варианта
       *[many] вариантов
    }.
   *[other] Отметьте хотя бы { $n } { $n ->
        [one] вариант
        [few] варианта
       *[many] вариантов
    }.
}
# Genitive after «не больше»: 1 варианта, 3 вариантов, 21 варианта.
answer-too-many = { $audience ->
    [pupil] Можно отметить не больше { $n } { $n ->
        [one] варианта
       *[other] вариантов
    }.{ $toggling ->
        [yes] { " " }Сначала сними отметку с другого.
       *[no] { "" }
    }
   *[other] Можно отметить не больше { $n } { $n ->
        [one] варианта
       *[other] вариантов
    }.{ $toggling ->
        [yes] { " " }Сначала снимите отметку с другого.
       *[no] { "" }
    }
}
# What a number answer must be; `$kind` is «whole» when a fraction was typed. The example is in the range.
answer-number-range = Нужно { $kind ->
        [whole] целое число
       *[any] число
    } от { $lo } до { $hi }. Например: { $example }
answer-number-min = Нужно { $kind ->
        [whole] целое число
       *[any] число
    } не меньше { $lo }. Например: { $example }
answer-number-max = Нужно { $kind ->
        [whole] целое число
       *[any] число
    } не больше { $hi }. Например: { $example }
answer-number-any = Нужно { $kind ->
        [whole] целое число
       *[any] число
    }, цифрами. Например: 3

# How an answer reads in a summary, a profile and an export.
answer-skipped = — пропущено
answer-nothing-chosen = — ничего не выбрано
answer-hidden = скрыто
answer-scale = { $value } из { $max }
answer-with-details = { $label }: { $details }
