## A monitoring survey as its participants see it.

## audience: pupil adult
campaign-invite = { $audience ->
    [pupil]
        <b>{ $title }</b>
        Ответь, пожалуйста, до { $until }. Это займёт несколько минут.
   *[other]
        <b>{ $title }</b>
        Ответьте, пожалуйста, до { $until }. Это займёт несколько минут.
}
campaign-nudge = { $audience ->
    [pupil] Напоминание: опрос «{ $title }» ждёт твоих ответов до { $until }.
   *[other] Напоминание: опрос «{ $title }» ждёт ваших ответов до { $until }.
}
btn-campaign-answer = Ответить
campaign-closed = Этот опрос уже закрыт. Спасибо!
campaign-not-for-you = { $audience ->
    [pupil] Этот опрос не для тебя.
   *[other] Этот опрос не для вас.
}
campaign-already = Ответы на этот опрос уже получены. Спасибо!
campaign-done = Спасибо! Ответы сохранены.
## audience: curator
campaign-pick-survey = Какой опрос запустить?
campaign-pick-segment = Кому?
campaign-segments-active = Участникам пар и групп
campaign-segments-all = Всем участникам
campaign-segments-mentees = Наставляемым
campaign-segments-mentors = Наставникам
campaign-pick-days = Сколько дней принимать ответы?
campaign-preview =
    <b>{ $title }</b>
    Получателей: { $count }
    Ответы до { $until }.{ $already }
    Запустить?
campaign-already-open =
    { "" }

    ⚠️ Такой опрос уже идёт: «{ $title }», ответы до { $until }, ответили { $done } из { $total }. Новый опрос придёт его получателям ещё раз.
campaign-nobody = В этой группе некому отвечать на этот опрос.
btn-campaign-start = Запустить
campaign-cancelled = Опрос не запущен: никому ничего не отправлено.
campaign-started = Опрос запущен: { $count } { $count ->
        [one] получатель
        [few] получателя
       *[many] получателей
    }. Напоминания не ответившим — раз в { $every }.
campaign-closed-report = Опрос «{ $title }» закрыт: ответили { $done } из { $total }.
campaign-launch-report =
    📋 По календарю программы запущен опрос «{ $title }», ответы до { $until }.
    Приглашение получили ({ $count }):
    { $names }{ $waiting }
campaign-report-name = • { $name } — { $role }
campaign-report-more = • и ещё { $count }
campaign-waiting =
    { "" }

    Ещё не приглашены — их пара работает меньше { $weeks } { $weeks ->
        [one] недели
        [few] недель
       *[many] недель
    } ({ $count }):
    { $lines }
campaign-waiting-line = • { $name } — { $role }: получит приглашение { $date }
campaign-waiting-too-late = • { $name } — { $role }: не получит, срок наступит { $date }, после закрытия опроса
campaign-late-report =
    📋 Опрос «{ $title }» (ответы до { $until }): приглашение отправлено ещё { $count } { $count ->
        [one] участнику
       *[other] участникам
    } из новых пар и групп:
    { $names }
growth-entry-title = Самооценка в начале работы пары
surveys-none = Открытых опросов нет. Запустить опрос — /campaign.
surveys-header = <b>Открытые опросы</b> ({ $count })
surveys-line =
    { "" }

    { $n }. <b>{ $title }</b> — { $audience }
    Открыт { $opened }, ответы до { $until }
    Ответили { $done } из { $total }
survey-audience-pair = пара или группа №{ $pair }
surveys-waiting =
    { "" }
    Ещё не приглашены (пара работает меньше { $weeks } { $weeks ->
        [one] недели
        [few] недель
       *[many] недель
    }): { $count }, из них получат до закрытия: { $soon }
btn-survey-pending = Кто не ответил
btn-survey-close = Закрыть опрос
btn-survey-numbered = { $n }. { $label }
survey-pending =
    <b>{ $title }</b>, ответы до { $until }
    Не ответили { $count } из { $total }:
    { $names }
survey-all-answered = <b>{ $title }</b>: ответили все ({ $total }).
btn-survey-remind = Напомнить
btn-surveys-back = ← К опросам
survey-reminded = Напоминание поставлено в очередь: { $count } { $count ->
        [one] получатель
        [few] получателя
       *[many] получателей
    }.
survey-reminded-already = Сегодня им уже напоминали.
survey-close-confirm =
    Закрыть опрос «{ $title }»? Ответили { $done } из { $total }.
    Новые ответы приниматься не будут, данные ответы сохранятся.
btn-survey-close-yes = Да, закрыть
survey-already-closed = Этот опрос уже закрыт.

## audience: curator pupil adult
survey-label-quality = Оценка качества программы
survey-label-final = Итоговая анкета и рефлексия
survey-label-growth = Самооценка (рост участников)
