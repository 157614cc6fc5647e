## audience: curator
participants-empty = Участников пока нет. Пригласите их: /invite.
participants-summary =
    <b>Участники программы: { $total }</b>{ $messengers }

    { $by_role }

    <b>По статусу</b>
    { $by_status }
participants-page =
    <b>{ $title }</b> — { $shown } из { $total }

    { $lines }
participants-all = Все участники
participant-line = { $n }. { $name } — { $role }, { $status }{ $messenger }
participant-unnamed = { $pseudonym } · вход { $joined } · ссылка { $invite }
participant-unnamed-parent = { "" } · родитель: { $parent }
participant-invite = от { $date } (…{ $tail })
participant-invite-gone = удалена
participant-card =
    { $title }
    Роль: { $role }
    Форма: { $form }
    Дата входа: { $joined }
    Ссылка-приглашение: { $invite }
    Статус: { $status }
    Согласие: { $consent }

    { $answers }
participant-card-title = <b>{ $name }</b> ({ $pseudonym })
participant-card-title-unnamed = <b>{ $pseudonym }</b> (имя ещё не указано)
consent-paper-details = бумажное от { $date } (подпись: { $parent }); отмечено куратором { $at }
consent-parent-details = { "" } ({ $parent }, { $relation })
btn-show-list = Список

## audience: pupil adult curator
btn-prev = ‹ Назад
btn-next = Далее ›

## audience: curator
btn-to-summary = К сводке
btn-paper-consent = Отметить бумажное согласие
paper-consent-done = Бумажное согласие отмечено для { $pseudonym }. Участник получит уведомление.
paper-consent-already = У этого участника согласие уже есть.
consent-paper-help = Кто ждёт согласия родителя — ниже. Откройте участника и нажмите «Отметить бумажное согласие»: бот спросит ФИО родителя и дату на бумаге. Все участники — /participants.
consent-paper-nobody = Согласия родителя никто не ждёт. Все участники — /participants.
paper-ask-parent =
    Бумажное согласие для участника:
    { $who }

    Напишите фамилию, имя и отчество родителя (законного представителя), как они написаны в согласии. Отменить — /cancel.
paper-bad-parent = Напишите ФИО родителя буквами, как в согласии, например: Иванова Мария Петровна. Отменить — /cancel.
paper-ask-date = Дата на согласии? Напишите её так: ДД.ММ.ГГГГ, например { $today }. Отменить — /cancel.
paper-date-unreadable = Не понял дату. Напишите её так, как на бумаге: ДД.ММ.ГГГГ, например 01.12.2026. Отменить — /cancel.
paper-date-no-such = Такой даты нет: { $text }. Проверьте число и месяц. Отменить — /cancel.
paper-date-future = { $date } ещё не наступило (сегодня { $today }): согласие не может быть подписано позже сегодняшнего дня. Проверьте дату на бумаге. Отменить — /cancel.
paper-date-too-old = { $date } — больше года назад: такое согласие уже не действует на этот учебный год, нужно новое. Отменить — /cancel.
paper-confirm =
    <b>Отметить бумажное согласие?</b>

    Участник: { $who }
    Родитель (законный представитель): { $parent }
    Дата согласия: { $date }

    После этого участник сможет заполнить анкету.
btn-paper-confirm = Подтвердить
dialog-cancelled = Отменено, ничего не изменено.
btn-rename = Исправить имя
rename-ask =
    Имя сейчас: <b>{ $name }</b>
    Напишите исправленное ({ $what }). Отменить — /cancel.
rename-bad = { $problem } Отменить — /cancel.
rename-same = Это то же самое имя. Напишите исправленное или отмените — /cancel.
rename-confirm =
    <b>Исправить имя?</b>

    { $old } → <b>{ $new }</b>

    Новое имя будет в списках, парах, выгрузках и документах, которые бот сделает после этого.
btn-rename-confirm = Исправить
rename-done = Имя исправлено: { $old } → { $new }.

## audience: pupil
child-paper-consented = Куратор отметил бумажное согласие твоего родителя. Можно заполнить анкету!

## audience: curator
participant-gone = Этого участника больше нет (данные удалены).
curator-user-blocked = Бот заблокирован участником: { $who }. Сообщения не доходят — свяжитесь другим способом.
who = <b>{ $name }</b> ({ $role }, { $pair })
who-pair = пара №{ $id }
who-group = группа №{ $id }
who-no-pair = без пары
who-in-pair = <b>{ $name }</b> ({ $role })

## audience: pupil adult parent curator
consent-none = нет

## audience: curator
reason-withdrawal = отзыв согласия
reason-parent-withdrawal = отзыв согласия родителем
invite-list-of = { "" } из { $n }
invite-list-until = , до { $date }
list-all = все
