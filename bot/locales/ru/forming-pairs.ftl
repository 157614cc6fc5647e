## audience: curator
pick-form = Для какой формы наставничества?
no-candidates = Пока некого подбирать: нет участников с согласием и заполненной анкетой.
gm-ask-when = Групповая встреча кандидатов ({ $form }). Когда она пройдёт? Напишите дату и время, например: 25.09 16:30
gm-ask-place = Где? Напишите место (например: «СЮТ, каб. 12») или «онлайн» со ссылкой.
gm-preview =
    <b>Групповая встреча</b>
    Форма: { $form }
    Когда: { $when }
    Где: { $place }

    Получат приглашение: { $count }.

## audience: pupil adult
gm-announce =
    <b>Групповая встреча наставников и наставляемых</b>
    { $when }
    Место: { $place }

    { $audience ->
        [pupil] Познакомимся, а после встречи ты сможешь выбрать, с кем тебе интереснее заниматься.
       *[other] Познакомимся, а после встречи вы сможете выбрать, с кем хотели бы работать.
    }

## audience: curator
gm-sent = Приглашение отправлено { $count } { $count ->
        [one] участнику
       *[other] участникам
    }. Присутствие можно отметить здесь же: /groupmeeting.
gm-exists =
    <b>Групповая встреча</b> ({ $form }): { $when }, { $place }.
    Отмечено присутствующих: { $present } из { $total }.
gm-attendance = Отметьте, кто был на встрече ({ $present } из { $total }):
gm-attendance-done =
    <b>Присутствие отмечено</b>: { $present } из { $total }.
    Были: { $came }
    Не было: { $missed }

    Изменить отметки — /groupmeeting. Анкета предпочтений — /preferences.
btn-send = Разослать
btn-new-meeting = Назначить новую встречу
btn-attendance = Отметить присутствие
btn-cancel = Отмена
pref-pick-source = Анкета предпочтений ({ $form }). Из кого выбирать?
btn-from-attendees = Только из бывших на встрече
btn-from-all = Из всех кандидатов формы
pref-no-attendees = На встрече никто не отмечен. Сначала отметьте присутствие: /groupmeeting.
pref-opened = Анкета предпочтений открыта и разослана { $count } { $count ->
        [one] участнику
       *[other] участникам
    }. Ход ответов — /preferences.
pref-status =
    <b>Анкета предпочтений</b> ({ $form })
    Ответили: { $answered } из { $total }.
    Не ответили: { $missing }
btn-remind = Напомнить не ответившим
btn-close-round = Закрыть анкету
btn-new-round = Открыть заново
pref-reminded = Напоминание отправлено { $count } { $count ->
        [one] участнику
       *[other] участникам
    }.
pref-closed = Анкета предпочтений закрыта. Подбор — /match.

## The preference survey after the group meeting, as its participants see it.

## audience: pupil adult
pref-invite = { $audience ->
    [pupil] После групповой встречи выбери, с кем тебе хотелось бы заниматься: { $n ->
        [one] до { $n } человека
       *[other] до { $n } человек
    } по порядку. Можно ответить «Без предпочтений».
   *[other] После групповой встречи выберите, с кем вам хотелось бы работать: { $n ->
        [one] до { $n } человека
       *[other] до { $n } человек
    } по порядку предпочтения. Можно ответить «Без предпочтений».
}
pref-reminder = { $audience ->
    [pupil] Напоминание: ждём твоего ответа, с кем ты хочешь заниматься. Это займёт минуту.
   *[other] Напоминание: вы ещё не ответили на анкету предпочтений. Это займёт минуту.
}
btn-pref-start = Выбрать
pref-screen-mentee = { $audience ->
    [pupil] Кого из наставников ты хочешь выбрать? Нажимай по порядку: первый — самый желанный (до { $n }).
   *[other] Кого из наставников вы хотите выбрать? Нажимайте по порядку: первый — самый желанный (до { $n }).
}
pref-screen-mentor = { $audience ->
    [pupil] Кого из наставляемых ты хочешь взять? Нажимай по порядку: первый — самый желанный (до { $n }).
   *[other] Кого из наставляемых вы хотите взять? Нажимайте по порядку предпочтения (до { $n }).
}
pref-chosen = { $audience ->
    [pupil]
        { "" }

        Твой выбор:
        { $lines }
   *[other]
        { "" }

        Ваш выбор:
        { $lines }
}
pref-nobody = Пока некого выбирать — куратор подберёт пару сам.
btn-pref-none = Без предпочтений
btn-pref-reset = Сбросить
btn-pref-done = Готово
pref-thanks = { $audience ->
    [pupil] Спасибо! Твой выбор записан. Куратор сообщит о паре.
   *[other] Спасибо! Ваш выбор записан. Куратор сообщит о паре.
}
pref-thanks-none = Спасибо! Записано: без предпочтений. Куратор сообщит о паре.
pref-closed-for-you = Анкета предпочтений уже закрыта.
pref-limit = Можно выбрать не больше { $n }.
## audience: curator
draft-header =
    <b>Черновик подбора</b> — { $form }
    Наставляемых подобрано: { $matched } из { $mentees }; пар: { $pairs }, групп: { $groups }; сумма баллов: { $total }
    Ограничения: закреплено { $pins }, исключено { $excluded }
draft-group =
    { "" }

    <b>{ $n }. { $mentor }</b>{ $kind }
draft-kind-group = { "" } — группа ({ $size })
draft-member =
    { "" }
    • { $name } — { $score } б.{ $pin }: { $reasons }
draft-pin-mark = { "" } 📌
draft-unmatched =
    { "" }

    <b>Без пары</b>
draft-unmatched-line =
    { "" }
    • { $name }: { $reason }
draft-free-places =
    { "" }

    <b>Есть свободные места</b>
draft-free-line =
    { "" }
    • { $name }: свободно мест — { $free }
draft-dissolved =
    { "" }

    <b>Не предлагаются снова</b> (пара расформирована; вернуть — «Переместить»)
draft-dissolved-line =
    { "" }
    • { $mentee } — { $mentor }
draft-page =
    { "" }

    <i>Страница { $page } из { $pages }</i>
btn-move = Переместить
btn-pin = Закрепить пару
btn-exclude = Исключить пару
btn-rerun = Пересчитать
btn-reset-constraints = Сбросить ограничения
btn-confirm-match = Утвердить
pick-mentee-to-move = Кого переместить?
pick-mentor-target = К какому наставнику переместить: { $name }?
pick-pair-to-pin = Какую пару закрепить (она останется при пересчёте)?
pick-pair-to-exclude = Какую пару исключить (её больше не предложат)?
btn-back-to-draft = ← К черновику
draft-changed = Пока вы смотрели, данные изменились (кто-то ответил или вышел из программы). Вот новый черновик.
draft-changed-what =
    Пока вы смотрели, данные изменились — ничего не утверждено. Что изменилось:{ $changes }

    Проверьте новый черновик и утвердите снова.
draft-rerun-changed = Пересчитано. Что изменилось:{ $changes }
draft-rerun-same = Пересчитано: ничего не изменилось — те же пары и баллы.
draft-rerun-scores = Пересчитано: пары те же, обновились баллы или имена.
draft-change-form =
    { "" }
    <b>{ $form }</b>
draft-change-new =
    { "" }
    • { $mentee }: новая пара — { $after }
draft-change-moved =
    { "" }
    • { $mentee }: теперь { $after } (было: { $before })
draft-change-unmatched =
    { "" }
    • { $mentee }: теперь без пары (было: { $before })
draft-change-paired =
    { "" }
    • { $mentee }: уже в утверждённой паре (было: { $before })
draft-change-gone =
    { "" }
    • { $mentee }: больше не среди кандидатов (было: { $before })
draft-gone-person = { $pseudonym } (участник удалил данные)
match-overview =
    <b>Подбор по формам</b>{ $lines }

    Для какой формы наставничества открыть черновик?
match-overview-line =
    { "" }
    • { $form }: подобрано { $matched } из { $mentees }; пар: { $pairs }, групп: { $groups }
match-overview-all = { "" } «Утвердить всё» утвердит черновики всех форм сразу, с одним приказом на всех.
btn-confirm-all = Утвердить всё
match-confirmed-all =
    Утверждено по формам:{ $lines }
    Участникам отправлены уведомления. Ниже — список и один проект приказа на все утверждённые формы.
match-confirmed-all-line =
    { "" }
    • { $form }: пар — { $pairs }, групп — { $groups }
match-confirmed = Утверждено: пар — { $pairs }, групп — { $groups }. Участникам отправлены уведомления. Ниже — список и проект приказа.
match-nothing-to-confirm = В черновике нет ни одной пары — утверждать нечего.

## The notice of a confirmed pair: a pupil reads who their mentor is, without the programme's terms.

## audience: pupil adult
pair-notice-mentee = { $audience ->
    [pupil]
        Твой наставник — <b>{ $mentor }</b>.
        Встречи будут идти через этого бота: наставник назначит первую — встречу-знакомство, приглашение и напоминания придут сюда. Наставник и встречи — в /menu.
   *[other]
        Ваш наставник — <b>{ $mentor }</b> ({ $form }).
        Встречи идут через этого бота: наставник назначит первую — встречу-знакомство, приглашение и напоминания придут сюда. Ваша пара и встречи — в /menu.
}
pair-notice-mentor = { $audience ->
    [pupil]
        Ты наставник! С тобой будут заниматься:
        { $mentees }

        Встречи назначаются в боте: /menu → «Назначить встречу». Начни со встречи-знакомства — приглашение получат твои наставляемые.
   *[other]
        Вам закреплены наставляемые ({ $form }):
        { $mentees }

        Встречи назначаются в боте: /menu → «Назначить встречу». Начните со встречи-знакомства — приглашение получат ваши наставляемые.
}
## audience: curator
pairs-xlsx-caption = Наставнические пары и группы
order-docx-caption = Проект приказа о закреплении наставнических пар (групп) — проверьте и подпишите.
