## Texts anyone may get: before the bot knows who writes, and the fallbacks. Those that other flows send
## without knowing the reader (a stale button, an unknown message, «Отменено» of a dialog) speak to nobody in
## particular: no «ты», no «вы».

## audience: pupil adult parent
start-no-code =
    Добрый день! Это бот программы наставничества «{ $org }».

    Чтобы присоединиться, нужна <b>ссылка-приглашение</b> от куратора программы: её дают педагог или куратор. По ссылке бот откроется снова.

    Пока присоединения нет, бот ничего не хранит о том, кто ему пишет.
private-only = Я работаю только в личных сообщениях, поэтому выхожу из этого чата. Кнопка ниже откроет личный чат со мной.
private-only-button = Написать боту лично
private-only-alert = Я работаю только в личных сообщениях.
not-a-participant = Этот аккаунт пока не участник программы. Присоединиться можно по ссылке-приглашению от куратора.

## audience: pupil adult parent curator
cancelled = Отменено.
nothing-to-cancel = Сейчас нечего отменять. Меню — /menu.
unexpected-error = Ой, что-то пошло не так — мы уже разбираемся. Можно попробовать ещё раз чуть позже или открыть /menu.
stale-button = Эта кнопка уже не действует. Меню — /menu.
unknown-input = Не понимаю это сообщение. Меню — /menu, помощь — /help.
unsupported-content = { $audience ->
    [pupil] Я понимаю только текст и кнопки. Открой /menu или напиши /help.
   *[other] Я понимаю только текст и кнопки. Откройте /menu или напишите /help.
}

## audience: curator
start-curator =
    Здравствуйте! Вы куратор программы наставничества «{ $org }».

    Главные команды: /invite — пригласить участника, /participants — участники. Все команды — /help.
help-curator =
    <b>Что умеет бот</b>
    /menu — меню куратора: отчёты
    /cancel — отменить то, что вы сейчас делаете
cancelled-answer = Отменено: ответ участнику не отправлен.
cancelled-broadcast = Отменено: рассылка не отправлена.
cancelled-material = Отменено: документ не добавлен.
cancelled-dissolve = Отменено: пара не расформирована.
cancelled-group-meeting = Отменено: групповая встреча не назначена.
cancelled-paper-consent = Отменено: бумажное согласие не отмечено.
cancelled-name = Отменено: имя не изменено.
cancelled-curator = Отменено. Меню куратора — /menu.

## audience: pupil adult
help-participant = { $audience ->
    [pupil]
        <b>Что умеет бот</b>
        /menu — твоё меню: профиль, анкета, согласие
        /ask — задать вопрос куратору
        /cancel — отменить то, что ты сейчас делаешь
        /forget — отозвать согласие и удалить твои данные

        Если что-то непонятно, спроси куратора программы.
   *[other]
        <b>Что умеет бот</b>
        /menu — ваше меню: профиль, анкета, согласие
        /ask — задать вопрос куратору
        /cancel — отменить то, что вы сейчас делаете
        /forget — отозвать согласие и удалить ваши данные

        Если что-то непонятно, спросите куратора программы.
}
cancelled-survey = { $audience ->
    [pupil] Отменено: анкета на паузе, твои ответы сохранены. Продолжить — из /menu.
   *[other] Отменено: анкета на паузе, ваши ответы сохранены. Продолжить — из /menu.
}
cancelled-meeting = Отменено: встреча не назначена.
cancelled-meeting-reply = Отменено: ответ наставнику не отправлен.

## audience: pupil adult parent
cancelled-question = Отменено: вопрос куратору не отправлен.
cancelled-forget = Отменено: согласие не отозвано, всё остаётся как было.
cancelled-other = Отменено. Меню — /menu.
cancelled-joining = Отменено. Вернуться к согласию можно из /menu.

## audience: parent
cancelled-parent-consent = Отменено: согласие не дано. Ссылка от ребёнка по-прежнему действует — по ней можно вернуться.

## audience: pupil adult parent curator
# MAX needs every button press answered with a notification: this one when the press showed a new message.
max-press-taken = Готово.

## audience: pupil adult parent
# A broadcast's file sent from Telegram cannot be passed on to MAX by its Telegram id.
max-file-elsewhere = К этому сообщению куратор приложил файл, он есть у куратора.
