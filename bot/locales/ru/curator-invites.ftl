## audience: curator
invite-pick-role = Кого приглашаем?
invite-pick-form = Роль: <b>{ $role }</b>. Форма наставничества?
invite-pick-expiry = Роль: <b>{ $role }</b>, форма: <b>{ $form }</b>. Сколько действует ссылка?
invite-pick-limit = Сколько человек может присоединиться по ссылке?
invite-created =
    Ссылка-приглашение готова:
    { $link }

    Роль: { $role }
    Форма: { $form }
    Действует: { $expiry }
    Человек: { $limit }

    Отправьте её участникам. Список ссылок — /invites.
invite-no-expiry = без срока
invite-expiry-days = { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    } (до { $until })
invite-no-limit = без ограничения
invite-list-empty = Действующих ссылок нет. Создать — /invite.
invite-list =
    <b>Действующие ссылки</b>

    { $lines }
invite-list-line =
    { $n }. { $role }, { $form }: использовано { $uses }{ $limit }{ $expiry }
    { $link }
invite-revoked = Ссылка отозвана: по ней больше нельзя присоединиться.
btn-revoke = Отозвать №{ $n }
invite-revoke-confirm = Отозвать ссылку-приглашение (роль: { $role }, форма: { $form }, использовано { $uses }{ $limit })? По ней больше никто не сможет присоединиться; те, кто уже присоединился, останутся в программе.
btn-revoke-yes = Да, отозвать
btn-revoke-no = Отмена
btn-expiry-days = { $days } дн.
btn-no-expiry = Без срока
btn-limit = { $n }
btn-no-limit = Без ограничения
