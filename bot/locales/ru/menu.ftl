## The participant's /menu and profile: what the programme means for the reader, in plain words; the terms
## («наставляемый-обучающийся», «форма наставничества: …») stay in the curator's screens.

## audience: pupil adult
menu-title = <b>Моё меню</b>
menu-status-invited = { $audience ->
    [pupil] Чтобы участвовать, нужно согласие на обработку данных. Нажми «Прочитать согласие».
   *[other] Чтобы участвовать, нужно ваше согласие на обработку данных. Нажмите «Прочитать согласие».
}
menu-status-awaiting_parent = { $audience ->
    [pupil] Ждём согласия твоего родителя. Ссылка для него — кнопкой ниже: перешли её родителю.
   *[other] Ждём согласия родителя. Ссылка для родителя — кнопкой ниже.
}
menu-status-consented = { $audience ->
    [pupil] Согласие есть. Осталось заполнить анкету: по ней куратор подберёт тебе пару.
   *[other] Согласие есть. Осталось заполнить анкету.
}
menu-status-survey_done = { $audience ->
    [pupil] Анкета заполнена, спасибо!
   *[other] Анкета заполнена.
}
btn-continue-survey = Продолжить анкету
btn-profile = Мой профиль и ответы
btn-edit-answer = Изменить ответ
btn-forget = Отозвать согласие
btn-help = Помощь
btn-consent-again = Прочитать согласие
btn-parent-link = Ссылка для родителя
btn-menu-back = ← Назад
btn-parent-menu = Меню родителя
profile =
    <b>Мой профиль</b>
    { $about }
    В программе с { $joined }
    Согласие: { $consent }

    { $answers }
profile-no-answers = Анкета ещё не заполнена.

## audience: pupil adult parent curator
consent-given-self = { $audience ->
    [pupil] дано тобой { $at }
    [curator] дано участником { $at }
   *[other] дано вами { $at }
}
consent-given-parent = дано родителем { $at }
consent-given-paper = бумажное, отмечено куратором { $at }

## What the programme means for the one who reads it, by the form of mentoring: a pupil, a parent about their
## child, an adult mentee. Terms («форма наставничества») stay out.

## audience: pupil adult parent
menu-about-tp = { $audience ->
    [pupil] Ты в программе наставничества: у тебя будет наставник из педагогов станции.
    [parent] В программе наставничества у ребёнка будет наставник из педагогов станции.
   *[other] Вы в программе наставничества: у вас будет наставник из педагогов станции.
}
menu-about-pp = { $audience ->
    [pupil] Ты в программе наставничества: у тебя будет наставник — ученик постарше.
    [parent] В программе наставничества у ребёнка будет наставник — ученик постарше.
   *[other] Вы в программе наставничества: у вас будет наставник — ученик постарше.
}
menu-about-sp = { $audience ->
    [pupil] Ты в программе наставничества: у тебя будет наставник — студент.
    [parent] В программе наставничества у ребёнка будет наставник — студент.
   *[other] Вы в программе наставничества: у вас будет наставник — студент.
}
menu-about-ep = { $audience ->
    [pupil] Ты в программе наставничества: у тебя будет наставник — специалист с предприятия.
    [parent] В программе наставничества у ребёнка будет наставник — специалист с предприятия.
   *[other] Вы в программе наставничества: у вас будет наставник — специалист с предприятия.
}
menu-about-es = { $audience ->
    [pupil] Ты в программе наставничества: у тебя будет наставник — специалист с предприятия.
    [parent] В программе наставничества у ребёнка будет наставник — специалист с предприятия.
   *[other] Вы в программе наставничества: у вас будет наставник — специалист с предприятия.
}
menu-about-tt = { $audience ->
    [pupil] Ты в программе наставничества: у тебя будет наставник из опытных педагогов.
    [parent] В программе наставничества у ребёнка будет наставник из опытных педагогов.
   *[other] Вы в программе наставничества: у вас будет наставник из опытных коллег.
}
menu-about-mentor = { $audience ->
    [pupil] Ты наставник в программе наставничества: будешь помогать ребятам помладше.
    [parent] Ребёнок — наставник в программе наставничества: будет помогать ребятам помладше.
   *[other] Вы наставник в программе наставничества (форма «{ $form }»).
}

## «Вопрос куратору» and the programme's materials, as a participant or a parent sees them (moved here from
## informing.ftl, which keeps the curator's side).

## audience: pupil adult parent
btn-ask = Вопрос куратору
btn-materials = Материалы
ask-sent = Вопрос отправлен куратору. Ответ придёт сюда.
ask-needs-consent = Вопрос куратору можно будет задать, когда появится согласие на участие. Меню — /menu.
materials-empty = Материалов пока нет.
ask-prompt = { $audience ->
    [pupil] Напиши вопрос одним сообщением. Его увидит только куратор программы.
   *[other] Напишите вопрос одним сообщением. Его увидит только куратор программы.
}
ask-bad = { $audience ->
    [pupil] Напиши вопрос текстом, до 1000 символов. Если вопроса нет — /cancel.
   *[other] Напишите вопрос текстом, до 1000 символов. Чтобы не отправлять вопрос — /cancel.
}
answer-to-participant = { $audience ->
    [pupil]
        <b>Ответ куратора</b> на твой вопрос «{ $question }»:

        { $answer }
   *[other]
        <b>Ответ куратора</b> на ваш вопрос «{ $question }»:

        { $answer }
}
materials-list = { $audience ->
    [pupil]
        <b>Материалы программы</b>
        Выбери документ:
   *[other]
        <b>Материалы программы</b>
        Выберите документ:
}
