## Meetings of a pair or group: the mentor's scheduling dialog, invitations, reminders, check-ins, the pair's fit.
## Every time in these texts is on the institution's clock in one format: 25.09.2026 16:30 (dates alone: 25.09.2026).

## audience: pupil adult parent curator
stage-intro = встреча-знакомство
stage-trial = пробная встреча
stage-planning = встреча-планирование
stage-work = совместная работа
stage-final = итоговая встреча
stage-position = { $stage } ({ $number } из { $of })
stage-line = Этап: { $stage }
stage-all-done = Этап: все встречи пройдены, итоговая встреча состоялась
relative-in = через { $duration }
relative-now = сейчас
duration-part = { $n } { $unit ->
        [day] { $n ->
            [one] день
            [few] дня
           *[many] дней
        }
        [hour] { $n ->
            [one] час
            [few] часа
           *[many] часов
        }
        [minute] { $n ->
            [one] минуту
            [few] минуты
           *[many] минут
        }
       *[second] { $n ->
            [one] секунду
            [few] секунды
           *[many] секунд
        }
    }

## audience: pupil adult curator
time-help = { $audience ->
    [pupil] Не понимаю время. Напиши, например, 16:30
   *[other] Не понимаю время. Напишите, например, 16:30
}
time-out-of-range = { $audience ->
    [pupil] Такого времени не бывает: часы от 0 до 23, минуты от 00 до 59. Напиши, например, 16:30
   *[other] Такого времени не бывает: часы от 0 до 23, минуты от 00 до 59. Напишите, например, 16:30
}
date-help = { $audience ->
    [pupil] Не понимаю дату. Напиши, например, 25.09, «25 сентября» или «завтра»
   *[other] Не понимаю дату. Напишите, например, 25.09, «25 сентября» или «завтра»
}
date-does-not-exist = { $audience ->
    [pupil] Такой даты нет в календаре: { $day }. Проверь число и месяц
   *[other] Такой даты нет в календаре: { $day }. Проверьте число и месяц
}
when-help = { $audience ->
    [pupil] Не понимаю дату и время. Напиши, например: 25.09 16:30 или «завтра в 17:00».
   *[other] Не понимаю дату и время. Напишите, например: 25.09 16:30 или «завтра в 17:00».
}
meeting-in-past = { $audience ->
    [pupil] Это время уже прошло. Выбери день и время позже, чем сейчас
   *[other] Это время уже прошло. Выберите день и время позже, чем сейчас
}
meeting-too-soon = Слишком скоро: встречу можно назначить не раньше { $at } (через { $earliest } или позже), чтобы все успели узнать
meeting-too-far = Слишком далеко: встречу можно назначить не дальше чем на { $latest } вперёд (до { $until })

## audience: pupil adult parent
menu-stage =
    { "" }
    { $stage }
menu-next-meeting =
    { "" }
    Следующая встреча: { $when }, { $place }
menu-no-meeting =
    { "" }
    Следующая встреча ещё не назначена.

## audience: pupil adult
btn-schedule = Назначить встречу
btn-my-meetings = Встречи
meet-not-mentor = Встречи назначает наставник пары.
meet-no-pair = { $audience ->
    [pupil] У тебя пока нет пары: встречи появятся, когда куратор утвердит пары.
   *[other] У вас пока нет пары: встречи появятся, когда куратор утвердит пары.
}
meet-all-done = Все этапы пройдены, итоговая встреча состоялась. Спасибо!
meet-pick-date = { $audience ->
    [pupil]
        <b>{ $stage }</b>
        Выбери дату встречи:
   *[other]
        <b>{ $stage }</b>
        Выберите дату встречи:
}
meet-pick-time = { $audience ->
    [pupil] { $date }. Во сколько? Выбери время или напиши, например: 16:30
   *[other] { $date }. Во сколько? Выберите время или напишите, например: 16:30
}
meet-pick-place = { $audience ->
    [pupil] Где встречаемся? Выбери или напиши место.
   *[other] Где встречаемся? Выберите или напишите место.
}
meet-ask-topic = { $audience ->
    [pupil] Тема встречи? Напиши коротко или нажми «Пропустить».
   *[other] Тема встречи? Напишите коротко или нажмите «Пропустить».
}
meet-preview =
    <b>{ $stage }</b>
    Когда: { $when }
    Где: { $place }
    Тема: { $topic }
meet-topic-none = —
btn-online = Онлайн
btn-at-school = В объединении
btn-send-invite = Отправить приглашение
btn-meet-cancel = Отмена
btn-meet-back = ← Назад
meet-bad-text = { $audience ->
    [pupil] Напиши место словами, до 200 символов.
   *[other] Напишите место словами, до 200 символов.
}
meet-bad-topic = { $audience ->
    [pupil] Тема — до 200 символов. Или нажми «Пропустить».
   *[other] Тема — до 200 символов. Или нажмите «Пропустить».
}
meet-bad-other-time = { $audience ->
    [pupil] Напиши одним сообщением, до 200 символов.
   *[other] Напишите одним сообщением, до 200 символов.
}
meet-created = Приглашение отправлено. Напомню всем за { $offsets } до встречи.
meet-moved = Встреча перенесена: { $when }. Участники получили уведомление.
meet-cancelled = Встреча отменена, участники получили уведомление.
meet-invite = { $audience ->
    [pupil]
        <b>Приглашение: { $stage }</b>
        Наставник: { $mentor }
        Когда: { $when }
        Где: { $place }
        Тема: { $topic }

        Подтверди встречу или попроси другое время — кнопкой ниже.
   *[other]
        <b>Приглашение: { $stage }</b>
        Наставник: { $mentor }
        Когда: { $when }
        Где: { $place }
        Тема: { $topic }

        Подтвердите встречу или попросите другое время — кнопкой ниже.
}
btn-accept = Подтверждаю
btn-other-time = Нужно другое время
meet-accepted = Спасибо, встреча подтверждена: { $when }. Перед встречей придёт напоминание.
meet-accepted-mentor = { $name } подтверждает встречу { $when }.
meet-ask-other-time = { $audience ->
    [pupil] Когда тебе удобно? Напиши одним сообщением, я передам наставнику.
   *[other] Когда вам удобно? Напишите одним сообщением, я передам наставнику.
}
meet-other-time-sent = Готово, сообщение у наставника: новое время придёт сюда.
meet-other-time-mentor = { $name } просит другое время для встречи { $when }: «{ $text }»
btn-move-meeting = Перенести
btn-cancel-meeting = Отменить встречу
meet-moved-notice =
    <b>Перенос: { $stage }</b>
    Новое время: { $when }
    Где: { $place }
meet-cancelled-notice = Отменено наставником: { $stage }, { $when }.
meet-list =
    <b>Встречи</b>
    { $lines }
meet-list-line =
    { "" }
    { $when } — { $stage } ({ $status })
meet-status-planned = назначена
meet-status-held = состоялась
meet-status-not_held = не состоялась
meet-status-cancelled = отменена
meet-none = Встреч пока не было.
reminder =
    Напоминание: { $relative } — { $stage }.
    Когда: { $when }
    Где: { $place }
checkin-ask = { $when } — { $stage }. Встреча состоялась?
btn-held = Да
btn-moved = Перенесли
btn-not-held = Не состоялась
checkin-useful = Насколько полезной была встреча? 1 — совсем нет, 5 — очень.
checkin-what = { $audience ->
    [pupil] Что сделали на встрече? Напиши коротко (это увидит только куратор) или нажми «Пропустить».
   *[other] Что сделали на встрече? Напишите коротко (это увидит только куратор) или нажмите «Пропустить».
}
checkin-bad-note = { $audience ->
    [pupil] Напиши коротко, до 500 символов. Или нажми «Пропустить».
   *[other] Напишите коротко, до 500 символов. Или нажмите «Пропустить».
}
checkin-thanks = Спасибо, записано!
checkin-moved-mentor = { $audience ->
    [pupil] Хорошо. Назначь новое время встречи:
   *[other] Хорошо. Назначьте новое время встречи:
}
checkin-moved-mentee = Хорошо, наставник предложит новое время.
checkin-why = Почему встреча не состоялась?
checkin-reasons-ill = Болезнь
checkin-reasons-busy = Не смогли прийти
checkin-reasons-forgot = Забыли
checkin-reasons-other = Другое
fit-ask = { $audience ->
    [pupil] Первая встреча позади. Как тебе пара — подходит?
   *[other] Первая встреча позади. Как вам пара — подходит?
}
btn-fit-yes = Да, подходит
btn-fit-unsure = Пока не понятно
btn-fit-no = Не подходит
fit-thanks = Спасибо за ответ!
nudge-mentor = { $audience ->
    [pupil] С последней встречи { $days ->
        [one] прошёл { $days } день
        [few] прошло { $days } дня
       *[many] прошло { $days } дней
    }. Назначь следующую: /menu → «Назначить встречу».
   *[other] С последней встречи { $days ->
        [one] прошёл { $days } день
        [few] прошло { $days } дня
       *[many] прошло { $days } дней
    }. Назначьте следующую: /menu → «Назначить встречу».
}

## audience: curator
checkin-answer-held = Встреча состоялась
checkin-answer-moved = Перенесли
checkin-answer-not_held = Не состоялась
checkin-disagree = Ответы о встрече расходятся: { $stage }, { $when } ({ $pair }):{ $answers }
checkin-disagree-line =
    { "" }
    • { $who }: «{ $answer }»
checkin-not-answered = ответа пока нет
fit-alert =
    { $who } отвечает, что пара не подходит. Стоит поговорить.
    Ответы «Как вам пара?»:{ $answers }
fit-labels-yes = Да, подходит
fit-labels-unsure = Пока не понятно
fit-labels-no = Не подходит
alert-quiet = { $kind } №{ $pair } без встреч уже { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    }. Наставник: { $mentor }. Наставляемые: { $mentees }.
digest =
    <b>Сводка на { $date }</b>

    Встречи сегодня: { $today }{ $lines }
    Нет отметки «состоялась ли»: { $missing }
    Пары без встреч { $days }+ дн.: { $quiet }
    Ждут согласия (своего или родителя): { $pending }
digest-line =
    { "" }
    • { $time } — { $pair }, { $stage }
curator-user-unblocked = Снова на связи в боте: { $who }.

## audience: pupil adult
cal-month = { $month ->
    [1] Январь
    [2] Февраль
    [3] Март
    [4] Апрель
    [5] Май
    [6] Июнь
    [7] Июль
    [8] Август
    [9] Сентябрь
    [10] Октябрь
    [11] Ноябрь
   *[12] Декабрь
} { $year }
cal-weekdays = Пн Вт Ср Чт Пт Сб Вс

## audience: pupil adult
checkin-already = Ответ о встрече уже записан, спасибо!
