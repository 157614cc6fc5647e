menu-header =
    <b>Моё меню</b>
    Роль: { $role }
    Форма наставничества: { $form }
    Статус: { $status }
btn-continue-survey = Продолжить анкету
btn-profile = Мой профиль и ответы
btn-edit-answer = Изменить ответ
btn-forget = Отозвать согласие
btn-help = Помощь
btn-consent-again = Прочитать согласие
btn-parent-link = Ссылка для родителя
profile =
    <b>Мой профиль</b>
    Роль: { $role }
    Форма: { $form }
    Согласие: { $consent }

    { $answers }
profile-no-answers = Анкета ещё не заполнена.
consent-given-self = дано вами { $at }
consent-given-parent = дано родителем { $at }
consent-given-paper = бумажное, отмечено куратором { $at }
