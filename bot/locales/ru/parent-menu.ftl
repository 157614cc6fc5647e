## The parent's own menu: the children they consented for, each child's mentor and next meeting, a question to
## the curator, withdrawing the consent.

## audience: parent
parent-menu-title = <b>Меню родителя</b>
parent-menu-child =
    { "" }

    <b>{ $child }</b>
    { $about }
    Согласие дано вами { $at }.
parent-child-unnamed = Ребёнок, приглашённый { $joined } (имя появится, когда ребёнок заполнит анкету)
parent-child-survey-pending =
    { "" }
    Анкета ещё не заполнена: ребёнок заполняет её в боте сам.
parent-child-survey-done =
    { "" }
    Анкета заполнена. Куратор подбирает пару.
parent-child-mentor =
    { "" }
    Наставник: { $name }
parent-child-mentor-pending =
    { "" }
    Наставник: пока не назначен — куратор подбирает.
parent-child-mentees =
    { "" }
    Наставляемые ребёнка: { $names }
parent-child-next-meeting =
    { "" }
    Следующая встреча: { $when }, { $place }
parent-child-no-meeting =
    { "" }
    Следующая встреча пока не назначена.
parent-menu-footer =
    { "" }

    Вопрос о ребёнке можно задать куратору программы — кнопкой ниже.
parent-menu-hint = Чтобы написать куратору, нажмите «Вопрос куратору» в меню ниже.
btn-parent-ask = Вопрос куратору
btn-parent-ask-about = Вопрос куратору: { $name }
btn-child-unnamed = Ребёнок, приглашённый { $joined }
btn-parent-forget = Отозвать согласие
parent-ask-prompt = Напишите вопрос одним сообщением. Его увидит только куратор программы; ребёнок его не увидит.
parent-ask-which = О ком вопрос куратору?
help-parent =
    <b>Что умеет бот</b>
    /menu — меню родителя: наставник ребёнка, встречи
    /ask — задать вопрос куратору
    /cancel — отменить то, что вы сейчас делаете
    /forget — отозвать согласие за ребёнка и удалить его данные

    Если что-то непонятно, спросите куратора программы.

## audience: curator
ask-to-curator-from-parent =
    <b>Вопрос от родителя</b> ({ $parent }). Ребёнок: { $who }

    { $text }
# How the curator's answer prompt names a parent who asked about their child.
ask-who-parent = родитель ({ $child })
