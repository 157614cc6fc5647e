## audience: curator
pairs-empty = Утверждённых пар и групп пока нет. Подбор — /match.
pairs-list =
    <b>Пары и группы</b> ({ $count })
    { $lines }
pairs-form =
    { "" }
    <b>{ $form }</b>
pairs-line =
    { "" }
    №{ $n } { $mentor } — { $mentees }
pair-withdrawn = участник удалил данные
pair-card =
    <b>{ $kind } №{ $id }</b> ({ $form })
    Наставник: { $mentor }
    Наставляемые: { $mentees }
    Закреплена: { $date }
kind-pair = Пара
kind-group = Группа
btn-dissolve = Расформировать
btn-to-pairs = ← К списку
dissolve-ask-reason = Почему расформировываем пару №{ $id }? Напишите причину одним сообщением (её увидят участники).
dissolve-bad-reason = Напишите причину словами, от 3 до 300 символов.
dissolved = Пара №{ $id } расформирована. Участники вернулись в подбор: /match.
## audience: pupil adult
dissolved-notice = { $audience ->
    [pupil]
        Твоя пара расформирована куратором. Причина: { $reason }
        Куратор подберёт тебе новую пару.
   *[other]
        Ваша наставническая пара (группа) расформирована куратором. Причина: { $reason }
        Куратор подберёт новую пару.
}
## audience: curator
bases-pick = Какую базу выгрузить?
btn-base-mentees = База наставляемых
btn-base-mentors = База наставников
base-empty = В этой базе пока никого нет.
base-in-pair = в паре №{ $id }
base-in-group = в группе №{ $id }

## audience: pupil adult
menu-my-mentor =
    { "" }
    Мой наставник: { $name }
menu-my-mentees =
    { "" }
    Мои наставляемые: { $names }
menu-mentor-pending =
    { "" }
    Мой наставник: ещё не назначен — куратор подбирает нового.
menu-mentees-pending =
    { "" }
    Мои наставляемые: пока нет — куратор подберёт.
