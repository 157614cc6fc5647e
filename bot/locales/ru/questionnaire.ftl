# The questionnaire dialog (handlers/survey.py): a pupil, an adult or a curator trying it answers it; every
# text that tells the person what to do selects on `$audience`.

## audience: pupil adult curator

question-header =
    <i>Вопрос { $n } из { $total }</i>

    <b>{ $text }</b>
# The answer given so far, under a question shown again.
question-current =
    { "" }

    Сейчас: { $value }
# How to answer, under each question (after the question's own hint, if it has one).
question-type-hints-single = { $audience ->
    [pupil] Выбери вариант кнопкой.
   *[other] Выберите вариант кнопкой.
}
question-type-hints-multi = { $audience ->
    [pupil] Можно выбрать несколько, потом нажми «Готово».
   *[other] Можно выбрать несколько, затем нажмите «Готово».
}
question-type-hints-scale = { $audience ->
    [pupil] Выбери число кнопкой.
   *[other] Выберите число кнопкой.
}
question-type-hints-text = { $audience ->
    [pupil] Напиши ответ сообщением.
   *[other] Напишите ответ сообщением.
}
question-type-hints-number = { $audience ->
    [pupil] Напиши число сообщением.
   *[other] Напишите число сообщением.
}
question-type-hints-number-buttons = { $audience ->
    [pupil] Выбери число кнопкой или напиши его.
   *[other] Выберите число кнопкой или напишите его.
}
# After an option that asks «which one?» («Другое»): the follow-up text is typed.
question-details = { $audience ->
    [pupil] Какое именно? Напиши сообщением.
   *[other] Какое именно? Напишите сообщением.
}
btn-back = ← Назад
btn-skip = Пропустить
btn-done = Готово
btn-all-right = Всё верно
btn-change = Изменить ответ
survey-summary = { $audience ->
    [pupil] <b>{ $title }</b> — проверь ответы:

        { $lines }

        Всё верно?
   *[other] <b>{ $title }</b> — проверьте ответы:

        { $lines }

        Всё верно?
}
survey-summary-line =
    <b>{ $n }. { $question }</b>
    { $answer }
survey-pick-to-change = Какой ответ изменить?
survey-done = { $audience ->
    [pupil] Спасибо! Анкета сохранена. Куратор программы увидит её и подберёт тебе { $side ->
        [mentor] наставляемых
       *[mentee] наставника
    }. Меню — /menu.
   *[other] Спасибо! Анкета сохранена. Куратор программы увидит её и подберёт вам { $side ->
        [mentor] наставляемых
       *[mentee] наставника
    }. Меню — /menu.
}
survey-needs-consent = { $audience ->
    [pupil] Анкету можно заполнить после согласия на обработку данных. Открой /menu.
   *[other] Анкету можно заполнить после согласия на обработку данных. Откройте /menu.
}
survey-command-hint = { $audience ->
    [pupil] Эта команда сейчас не работает. Ответь на вопрос или напиши /cancel, чтобы прерваться.
   *[other] Эта команда сейчас не работает. Ответьте на вопрос или напишите /cancel, чтобы прерваться.
}
survey-press-a-button = { $audience ->
    [pupil] Пожалуйста, ответь кнопкой под сообщением выше.
   *[other] Пожалуйста, ответьте кнопкой под сообщением выше.
}
survey-non-text = Здесь нужен текст или кнопка — стикеры, фото и файлы я не сохраняю.
# A button of an older copy of a question (or of a summary): the current screen is shown in its place.
survey-stale-question = Это старая копия вопроса — вот текущий вопрос.
survey-stale-summary = Все ответы уже даны — вот их сводка.
survey-stale-closed = Эта анкета сейчас не открыта. Меню — /menu.
