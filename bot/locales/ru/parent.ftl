### The parent's side of joining: the first message, the consent for the child, the relation and the name.
### The child's name comes from the questionnaire, which the child fills in after the consent: until then the
### bot names what it knows (what the child will do in the programme, when the child opened the invite).

## audience: parent
parent-link-unknown = Эта ссылка для родителя не действует. Попросите ребёнка прислать новую из бота (/menu).
parent-already-done = Согласие для этого участника уже есть. Спасибо!
parent-intro =
    Здравствуйте! Вас просят дать согласие на участие ребёнка в программе наставничества «{ $org }».

    Что известно о приглашении:
    • { $what }
    • ребёнок открыл приглашение в боте: { $joined }.

    Имя ребёнка появится после вашего согласия, в анкете: до согласия бот ничего о ребёнке не хранит. Текст согласия — в следующем сообщении.
parent-minor-consented = Ребёнку 14–17 лет, и своё согласие ребёнок уже дал ({ $at }). Нужно и ваше: без него участие не начнётся.
parent-what-mentee_pupil = { $form ->
    [pp] ребёнку подберут наставника из старших учеников;
    [sp] ребёнку подберут наставника — студента колледжа или вуза;
    [ep] ребёнку подберут наставника — специалиста компании-партнёра;
    [es] ребёнку подберут наставника — специалиста компании-партнёра;
   *[other] ребёнку подберут наставника из педагогов;
}
parent-what-mentor = { $form ->
    [sp] ребёнка пригласили наставником для школьников;
   *[other] ребёнка пригласили наставником для младших ребят;
}
parent-ask-relation = Кем вы приходитесь ребёнку?

## audience: parent curator
relation-mother = мать
relation-father = отец
relation-guardian = опекун / законный представитель

## audience: parent
parent-ask-name = Спасибо! Напишите, пожалуйста, ваши фамилию и имя (они войдут в запись о согласии).
parent-bad-name = Напишите фамилию и имя буквами, например: Иванова Мария.
parent-done =
    Согласие записано ({ $at }). Спасибо!
    Ребёнку пришло сообщение: можно заполнить анкету. Отозвать согласие можно в любой момент командой /forget.
parent-declined = Хорошо, согласие не дано, и ребёнок участвовать не сможет. Если решите иначе, откройте ту же ссылку ещё раз.

## audience: pupil
child-parent-consented = Родитель дал согласие — можно заполнить анкету!
child-parent-declined = Родитель не дал согласия, поэтому участвовать пока нельзя. Если решение изменится, ссылка для родителя прежняя — она есть в /menu.
