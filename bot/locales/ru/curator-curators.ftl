## audience: curator
curators-list =
    <b>Кураторы программы</b>

    { $lines }
curators-owner-line = { $n }. id { $id }{ $messenger }{ $you } — из настроек бота (CURATOR_IDS), убрать из бота нельзя
curators-added-line = { $n }. { $name }{ $messenger }{ $you } — в списке с { $date }
curators-you = { "" } (вы)
btn-curator-add = Добавить куратора
btn-curator-remove = Убрать: { $name }
curator-invite-created =
    Ссылка для нового куратора:
    { $link }

    По ней можно войти <b>один раз</b>, действует { $hours } { $hours ->
        [one] час
        [few] часа
       *[many] часов
    }. Куратор видит персональные данные всех участников: отправьте ссылку лично тому, кого назначили куратором.
curator-remove-confirm = Убрать из кураторов: { $name }? Доступ к командам куратора и данным участников закроется сразу.
curator-owner-stays = Этот куратор назначен в настройках бота (CURATOR_IDS): убрать его из бота нельзя.
btn-curator-remove-yes = Да, убрать
btn-curator-remove-no = Отмена
curator-removed = { $name } больше не куратор программы.
curator-removed-notice = Вы больше не куратор программы наставничества: команды куратора вам недоступны.
curator-joined =
    Готово: вы куратор программы наставничества «{ $org }».

    Команды куратора — в меню команд и в /help. Начните с /participants или /invite.
curator-joined-notice = Новый куратор программы: { $name }. Список кураторов — /curators.
curator-already = Вы уже куратор программы, ссылка не нужна.
curator-invite-problems-unknown = Эта ссылка для куратора не найдена. Попросите у куратора программы новую.
curator-invite-problems-used = По этой ссылке уже вошли: она одноразовая. Попросите у куратора программы новую.
curator-invite-problems-expired = Срок действия этой ссылки для куратора истёк. Попросите у куратора программы новую.
curator-only = Эта команда — только для кураторов программы.
