menu-stage =
    { "" }
    { $stage }
menu-next-meeting =
    { "" }
    Следующая встреча: { $when }, { $place }
menu-no-meeting =
    { "" }
    Следующая встреча ещё не назначена.
btn-schedule = Назначить встречу
btn-my-meetings = Встречи
meet-not-mentor = Встречи назначает наставник пары.
meet-no-pair = У вас пока нет пары: встречи появятся, когда куратор утвердит пары.
meet-all-done = Все этапы пройдены, итоговая встреча состоялась. Спасибо!
meet-pick-date =
    <b>{ $stage }</b>
    Выберите дату встречи:
meet-pick-time = { $date }. Во сколько? Выберите время или напишите, например: 16:30
meet-pick-place = Где встречаемся? Выберите или напишите место.
meet-ask-topic = Тема встречи? Напишите коротко или нажмите «Пропустить».
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
meet-bad-text = Напишите место словами, до 200 символов.
meet-bad-topic = Тема — до 200 символов. Или нажмите «Пропустить».
meet-created = Приглашение отправлено. Напомню всем за { $offsets } до встречи.
meet-moved = Встреча перенесена: { $when }. Участники получили уведомление.
meet-cancelled = Встреча отменена, участники получили уведомление.
meet-invite =
    <b>Приглашение на встречу: { $stage }</b>
    Наставник: { $mentor }
    Когда: { $when }
    Где: { $place }
    Тема: { $topic }
btn-accept = Подтверждаю
btn-other-time = Нужно другое время
meet-accepted = Спасибо, встреча подтверждена: { $when }.
meet-accepted-mentor = { $name } подтверждает встречу { $when }.
meet-ask-other-time = Когда вам удобно? Напишите одним сообщением, я передам наставнику.
meet-other-time-sent = Передал наставнику. Он предложит другое время.
meet-other-time-mentor = { $name } просит другое время для встречи { $when }: «{ $text }»
btn-move-meeting = Перенести
btn-cancel-meeting = Отменить встречу
meet-moved-notice = Встреча «{ $stage }» перенесена: { $when }, { $place }.
meet-cancelled-notice = Встреча «{ $stage }» { $when } отменена наставником.
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
reminder = Напоминание: { $relative } встреча «{ $stage }» — { $when }, { $place }.
checkin-ask = Встреча «{ $stage }» ({ $when }) состоялась?
btn-held = Да
btn-moved = Перенесли
btn-not-held = Не состоялась
checkin-useful = Насколько полезной была встреча? 1 — совсем нет, 5 — очень.
checkin-what = Что сделали на встрече? Напишите коротко (это увидит только куратор) или нажмите «Пропустить».
checkin-thanks = Спасибо, отметил!
checkin-moved-mentor = Хорошо. Назначьте новое время встречи:
checkin-moved-mentee = Хорошо, наставник предложит новое время.
checkin-why = Почему встреча не состоялась?
checkin-reasons-ill = Болезнь
checkin-reasons-busy = Не смогли прийти
checkin-reasons-forgot = Забыли
checkin-reasons-other = Другое
checkin-disagree = Ответы о встрече «{ $stage }» { $when } расходятся ({ $pair }):{ $answers }
checkin-disagree-line =
    { "" }
    • { $who }: «{ $answer }»
checkin-not-answered = ещё не ответил
fit-ask = Первая встреча позади. Как вам пара — подходит?
btn-fit-yes = Да, подходит
btn-fit-unsure = Пока не понятно
btn-fit-no = Не подходит
fit-thanks = Спасибо за ответ!
fit-alert =
    { $who } отвечает, что пара не подходит. Стоит поговорить.
    Ответы «Как вам пара?»:{ $answers }
fit-labels-yes = Да, подходит
fit-labels-unsure = Пока не понятно
fit-labels-no = Не подходит
nudge-mentor = С последней встречи прошло { $days } дн. Назначьте следующую: /menu → «Назначить встречу».
alert-quiet = { $kind } №{ $pair } без встреч уже { $days } дн. Наставник: { $mentor }. Наставляемые: { $mentees }.
digest =
    <b>Сводка на { $date }</b>

    Встречи сегодня: { $today }{ $lines }
    Нет отметки «состоялась ли»: { $missing }
    Пары без встреч { $days }+ дн.: { $quiet }
    Ждут согласия (своего или родителя): { $pending }
digest-line =
    { "" }
    • { $time } — { $pair }, { $stage }
curator-user-unblocked = Участник { $who } снова доступен в боте.
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
