"""Every text the bot shows, in one catalogue (Russian UI).

Handlers pass values, not sentences. Texts are HTML (parse_mode=HTML): values from users must be
escaped with `esc` before they are put into a text.
"""

from __future__ import annotations

from html import escape


def esc(value: object) -> str:
    return escape(str(value), quote=False)


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form of a noun for the count `n`: 1 час, 2 часа, 5 часов, 11 часов, 21 час, 22 часа."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


# --- commands (setMyCommands) --------------------------------------------------------------------------
PARTICIPANT_COMMANDS: dict[str, str] = {
    "menu": "Моё меню",
    "help": "Помощь",
    "cancel": "Отменить текущее действие",
    "forget": "Отозвать согласие и удалить мои данные",
}
CURATOR_COMMANDS: dict[str, str] = {
    "invite": "Создать ссылку-приглашение",
    "invites": "Действующие ссылки",
    "participants": "Участники программы",
    "consent_paper": "Отметить бумажное согласие",
}

# --- general ----------------------------------------------------------------------------------------------
START_NO_CODE = (
    "Здравствуйте! Это бот программы наставничества «{org}».\n\n"
    "Чтобы присоединиться, нужна <b>ссылка-приглашение</b> от куратора программы. "
    "Попросите её у своего педагога или куратора и откройте ещё раз.\n\n"
    "Пока вы не присоединились, бот ничего о вас не хранит."
)
START_CURATOR = (
    "Здравствуйте! Вы куратор программы наставничества «{org}».\n\n"
    "Главные команды: /invite — пригласить участника, /participants — участники. Все команды — /help."
)
HELP_PARTICIPANT = (
    "<b>Что умеет бот</b>\n"
    "/menu — ваше меню: профиль, анкета, согласие\n"
    "/cancel — отменить то, что вы сейчас делаете\n"
    "/forget — отозвать согласие и удалить ваши данные\n\n"
    "Если что-то непонятно, спросите куратора программы."
)
HELP_CURATOR_EXTRA = (
    "\n\n<b>Команды куратора</b>\n"
    "/invite — создать ссылку-приглашение\n"
    "/invites — действующие ссылки (можно отозвать)\n"
    "/participants — участники, согласия, анкеты\n"
    "/consent_paper — отметить бумажное согласие"
)
# The bot in a group, supergroup or channel (handlers/private_only.py): one line, then it leaves the chat.
PRIVATE_ONLY = "Я работаю только в личных сообщениях, поэтому выхожу из этого чата. Напишите мне лично."
PRIVATE_ONLY_BUTTON = "Написать боту лично"
PRIVATE_ONLY_ALERT = "Я работаю только в личных сообщениях."
CANCELLED = "Отменено. Ваши сохранённые ответы никуда не делись. Меню — /menu."
NOTHING_TO_CANCEL = "Сейчас нечего отменять. Меню — /menu."
NOT_A_PARTICIPANT = "Вы пока не участник программы. Чтобы присоединиться, откройте ссылку-приглашение от куратора."
UNEXPECTED_ERROR = "Ой, что-то пошло не так. Мы уже разбираемся. Попробуйте ещё раз чуть позже или откройте /menu."
STALE_BUTTON = "Эта кнопка уже не действует. Откройте /menu."
UNKNOWN_INPUT = "Я не понял это сообщение. Откройте /menu или напишите /help."
UNSUPPORTED_CONTENT = "Я понимаю только текст и кнопки. Откройте /menu или напишите /help."

# --- joining ---------------------------------------------------------------------------------------------
INVITE_PROBLEMS: dict[str, str] = {
    "unknown": "Эта ссылка-приглашение не найдена. Проверьте её или попросите у куратора новую.",
    "revoked": "Эта ссылка-приглашение отозвана куратором. Попросите у куратора новую.",
    "expired": "Срок действия этой ссылки-приглашения истёк. Попросите у куратора новую.",
    "used_up": "По этой ссылке-приглашению уже присоединилось максимальное число участников. "
    "Попросите у куратора новую.",
}
CURATOR_OWN_LINK = (
    "Это ссылка-приглашение для участников, а вы куратор — записывать вас участником я не стану. "
    "Отправьте ссылку тем, кого приглашаете."
)
ALREADY_ENROLLED = "Вы уже участник программы, второй раз присоединяться не нужно."
JOINED = (
    "Добро пожаловать в программу наставничества «{org}»!\n"
    "Вы присоединились как <b>{role}</b> (форма наставничества: {form})."
)
ASK_ADULT = "Сначала один вопрос: вам уже исполнилось 18 лет?"
BTN_ADULT_YES = "Да, мне 18 или больше"
BTN_ADULT_NO = "Нет, мне меньше 18"
CONSENT_INTRO = "Прежде чем я что-то о вас запомню, прочитайте, пожалуйста, согласие и ответьте кнопкой ниже."
BTN_AGREE = "Согласен"
BTN_DISAGREE = "Не согласен"
CONSENT_THANKS = "Спасибо, согласие записано ({at}). Теперь — анкета."
CONSENT_DECLINED = (
    "Хорошо, без согласия я ничего о вас не храню — мы всё удалили. "
    "Если передумаете, откройте ссылку-приглашение ещё раз."
)
CONSENT_ALREADY = "Согласие уже записано, повторно нажимать не нужно."
MINOR_NEEDS_PARENT = (
    "Для участников младше 18 лет согласие даёт родитель или законный представитель.\n\n"
    "Перешлите родителю эту ссылку — пусть он откроет её в Telegram:\n{link}\n\n"
    "Когда родитель даст согласие, я напишу вам, и можно будет заполнить анкету."
)
WAITING_FOR_PARENT = (
    "Ждём согласия вашего родителя. Ссылка для него:\n{link}\n\nКак только родитель ответит, я напишу вам."
)
PRESS_A_BUTTON = "Пожалуйста, ответьте кнопкой под сообщением выше."

# --- parent ------------------------------------------------------------------------------------------------
PARENT_LINK_UNKNOWN = "Эта ссылка для родителя не действует. Попросите ребёнка прислать новую из бота (/menu)."
PARENT_ALREADY_DONE = "Согласие для этого участника уже есть. Спасибо!"
PARENT_INTRO = (
    "Здравствуйте! Ваш ребёнок приглашён в программу наставничества «{org}» "
    "({role}, форма: {form}).\n\nЕму нужно ваше согласие на обработку персональных данных. "
    "Прочитайте его, пожалуйста, в следующем сообщении."
)
PARENT_ASK_NAME = "Спасибо! Напишите, пожалуйста, ваши фамилию и имя (они войдут в запись о согласии)."
PARENT_BAD_NAME = "Напишите фамилию и имя буквами, например: Иванова Мария."
PARENT_ASK_RELATION = "Кем вы приходитесь ребёнку?"
PARENT_DONE = "Согласие записано. Спасибо! Ребёнок может заполнить анкету. Отозвать согласие можно командой /forget."
PARENT_DECLINED = "Хорошо, согласие не дано. Ребёнок не сможет участвовать, пока вы не передумаете."
CHILD_PARENT_CONSENTED = "Ваш родитель дал согласие. Можно заполнить анкету!"
CHILD_PARENT_DECLINED = "Родитель пока не дал согласия. Если он передумает, ссылка для него прежняя."
BTN_START_SURVEY = "Заполнить анкету"

# --- questionnaire ---------------------------------------------------------------------------------------
QUESTION_HEADER = "<i>Вопрос {n} из {total}</i>\n\n<b>{text}</b>"
QUESTION_TYPE_HINTS: dict[str, str] = {
    "single": "Выберите вариант кнопкой.",
    "multi": "Можно выбрать несколько, затем нажмите «Готово».",
    "scale": "Выберите число кнопкой.",
    "text": "Напишите ответ сообщением.",
    "number": "Напишите число сообщением.",
}
BTN_BACK = "← Назад"
BTN_SKIP = "Пропустить"
BTN_DONE = "Готово"
BTN_ALL_RIGHT = "Всё верно"
BTN_CHANGE = "Изменить ответ"
MULTI_NEED_MORE = "Выберите хотя бы {n}."
MULTI_TOO_MANY = "Можно выбрать не больше {n}."
SURVEY_SUMMARY = "<b>{title}</b> — проверьте ответы:\n\n{lines}\n\nВсё верно?"
SURVEY_SUMMARY_LINE = "<b>{n}. {question}</b>\n{answer}"
SURVEY_PICK_TO_CHANGE = "Какой ответ изменить?"
SURVEY_DONE = "Спасибо! Анкета сохранена. Куратор программы увидит её и подберёт вам пару. Меню — /menu."
SURVEY_PAUSED = "Анкета сохранена на вопросе {n}. Продолжить можно в любой момент: /menu → «Продолжить анкету»."
SURVEY_NEEDS_CONSENT = "Анкету можно заполнить после согласия на обработку данных. Откройте /menu."
SURVEY_EXPECTS_ANSWER = "Сейчас идёт анкета. {hint}"
SURVEY_COMMAND_HINT = "Эта команда сейчас не работает. Ответьте на вопрос или напишите /cancel, чтобы прерваться."
SURVEY_NON_TEXT = "Здесь нужен текст или кнопка — стикеры, фото и файлы я не сохраняю."

# --- menu --------------------------------------------------------------------------------------------------
MENU_HEADER = "<b>Моё меню</b>\nРоль: {role}\nФорма наставничества: {form}\nСтатус: {status}"
BTN_CONTINUE_SURVEY = "Продолжить анкету"
BTN_PROFILE = "Мой профиль и ответы"
BTN_EDIT_ANSWER = "Изменить ответ"
BTN_FORGET = "Отозвать согласие"
BTN_HELP = "Помощь"
BTN_CONSENT_AGAIN = "Прочитать согласие"
BTN_PARENT_LINK = "Ссылка для родителя"
PROFILE = "<b>Мой профиль</b>\nРоль: {role}\nФорма: {form}\nСогласие: {consent}\n\n{answers}"
PROFILE_NO_ANSWERS = "Анкета ещё не заполнена."
CONSENT_GIVEN_SELF = "дано вами {at}"
CONSENT_GIVEN_PARENT = "дано родителем {at}"
CONSENT_GIVEN_PAPER = "бумажное, отмечено куратором {at}"

# --- withdrawal ------------------------------------------------------------------------------------------------
FORGET_CONFIRM = (
    "Отозвать согласие? Обработка ваших данных сразу прекратится, а профиль и все ответы будут "
    "<b>удалены безвозвратно</b>. Участие в программе закончится."
)
BTN_FORGET_YES = "Да, удалить мои данные"
BTN_FORGET_NO = "Нет, оставить"
FORGET_DONE = (
    "Готово: согласие отозвано, ваши данные удалены. Куратор получит запись об уничтожении данных "
    "(без имени и ответов). Если захотите вернуться — попросите у куратора новую ссылку."
)
FORGET_KEPT = "Хорошо, всё остаётся как было."
FORGET_NOTHING = "О вас ничего не хранится."
CURATOR_WITHDRAWAL = (
    "Участник {pseudonym} ({role}) отозвал согласие. Данные уничтожены: {categories}. "
    "Запись для акта об уничтожении сохранена (акт за период — /destruction_act)."
)
FORGET_HAS_MENTEE = "\n\nУ вас есть наставляемый: куратор подберёт ему нового наставника."
FORGET_HAS_MENTEES = "\n\nУ вас {n} наставляемых: куратор подберёт им нового наставника."
FORGET_HAS_MENTOR = "\n\nВашему наставнику я сообщу только, что наставляемый вышел из программы, — без имени."
CHILD_DATA_WITHDRAWN = (
    "Твой родитель отозвал согласие на обработку твоих данных. Твоя анкета и ответы удалены, и в программе "
    "наставничества ты больше не участвуешь. Если захочешь вернуться, попроси у куратора новое приглашение."
)
MENTOR_LEFT_CHILD = (
    "Твой наставник больше не участвует в программе. Куратор подберёт тебе нового — я напишу, когда это случится."
)
MENTOR_LEFT_ADULT = (
    "Ваш наставник больше не участвует в программе. Куратор подберёт вам нового — я напишу, когда это случится."
)
MENTEE_LEFT_PAIR = (
    "Ваш наставляемый вышел из программы, назначенные встречи отменены. Куратор подберёт вам нового наставляемого."
)
MENTEE_LEFT_GROUP = "Один из наставляемых вашей группы вышел из программы. Группа продолжает работу с остальными."
CURATOR_PAIR_NO_MENTOR = (
    "\n\n<b>{kind} №{pair}</b> ({form}) осталась без наставника. Наставляемые: {mentees}. "
    "Подберите им нового наставника — кнопка ниже откроет подбор для этой формы."
)
CURATOR_PAIR_NO_MENTEE = (
    "\n\n<b>Пара №{pair}</b> ({form}) распалась: наставляемый вышел из программы. Наставник {mentor} снова "
    "в подборе — кнопка ниже откроет подбор для этой формы."
)
CURATOR_GROUP_MENTEE_LEFT = (
    "\n\n<b>Группа №{pair}</b> ({form}) продолжает работу без одного наставляемого. Наставник: {mentor}."
)
BTN_REMATCH = "Подобрать заново"
PAIR_REMATCHED_REASON = "наставник вышел из программы, наставляемые подобраны заново"

# --- curator: invites --------------------------------------------------------------------------------------
INVITE_PICK_ROLE = "Кого приглашаем?"
INVITE_PICK_FORM = "Роль: <b>{role}</b>. Форма наставничества?"
INVITE_PICK_EXPIRY = "Роль: <b>{role}</b>, форма: <b>{form}</b>. Сколько действует ссылка?"
INVITE_PICK_LIMIT = "Сколько человек может присоединиться по ссылке?"
INVITE_CREATED = (
    "Ссылка-приглашение готова:\n{link}\n\nРоль: {role}\nФорма: {form}\nДействует: {expiry}\nЧеловек: {limit}\n\n"
    "Отправьте её участникам. Список ссылок — /invites."
)
INVITE_NO_EXPIRY = "без срока"
INVITE_EXPIRY_DAYS = "{days} дн. (до {until})"
INVITE_NO_LIMIT = "без ограничения"
INVITE_LIST_EMPTY = "Действующих ссылок нет. Создать — /invite."
INVITE_LIST = "<b>Действующие ссылки</b>\n\n{lines}"
INVITE_LIST_LINE = "{n}. {role}, {form}: использовано {uses}{limit}{expiry}\n{link}"
INVITE_REVOKED = "Ссылка отозвана: по ней больше нельзя присоединиться."
BTN_REVOKE = "Отозвать №{n}"
INVITE_REVOKE_CONFIRM = (
    "Отозвать ссылку-приглашение (роль: {role}, форма: {form}, использовано {uses}{limit})? По ней больше никто "
    "не сможет присоединиться; те, кто уже присоединился, останутся в программе."
)
BTN_REVOKE_YES = "Да, отозвать"
BTN_REVOKE_NO = "Отмена"
BTN_EXPIRY_DAYS = "{days} дн."
BTN_NO_EXPIRY = "Без срока"
BTN_LIMIT = "{n}"
BTN_NO_LIMIT = "Без ограничения"

# --- curator: curators (/curators) --------------------------------------------------------------------------
CURATOR_COMMANDS.update({"curators": "Кураторы программы"})
HELP_CURATOR_EXTRA += "\n/curators — кураторы программы (добавить, убрать)"
CURATORS_LIST = "<b>Кураторы программы</b>\n\n{lines}"
CURATORS_OWNER_LINE = "{n}. id {id}{you} — из настроек бота (CURATOR_IDS), убрать из бота нельзя"
CURATORS_ADDED_LINE = "{n}. {name}{you} — добавлен(а) {date}"
CURATORS_YOU = " (вы)"
BTN_CURATOR_ADD = "Добавить куратора"
BTN_CURATOR_REMOVE = "Убрать: {name}"
CURATOR_INVITE_CREATED = (
    "Ссылка для нового куратора:\n{link}\n\n"
    "По ней можно войти <b>один раз</b>, действует {hours} ч. Куратор видит персональные данные всех участников: "
    "отправьте ссылку лично тому, кого назначили куратором."
)
CURATOR_REMOVE_CONFIRM = (
    "Убрать куратора {name}? Он(а) сразу потеряет доступ к командам куратора и данным участников."
)
CURATOR_OWNER_STAYS = "Этот куратор назначен в настройках бота (CURATOR_IDS): убрать его из бота нельзя."
BTN_CURATOR_REMOVE_YES = "Да, убрать"
BTN_CURATOR_REMOVE_NO = "Отмена"
CURATOR_REMOVED = "Куратор {name} убран(а)."
CURATOR_REMOVED_NOTICE = "Вы больше не куратор программы наставничества: команды куратора вам недоступны."
CURATOR_JOINED = (
    "Готово: вы куратор программы наставничества «{org}».\n\n"
    "Команды куратора — в меню команд и в /help. Начните с /participants или /invite."
)
CURATOR_JOINED_NOTICE = "Новый куратор программы: {name}. Список кураторов — /curators."
CURATOR_ALREADY = "Вы уже куратор программы, ссылка не нужна."
CURATOR_INVITE_PROBLEMS: dict[str, str] = {
    "unknown": "Эта ссылка для куратора не найдена. Попросите у куратора программы новую.",
    "used": "По этой ссылке уже вошли: она одноразовая. Попросите у куратора программы новую.",
    "expired": "Срок действия этой ссылки для куратора истёк. Попросите у куратора программы новую.",
}
CURATOR_ONLY = "Эта команда — только для кураторов программы."

# --- curator: participants ---------------------------------------------------------------------------------
PARTICIPANTS_EMPTY = "Участников пока нет. Пригласите их: /invite."
PARTICIPANTS_SUMMARY = "<b>Участники программы: {total}</b>\n\n{by_role}\n\n<b>По статусу</b>\n{by_status}"
PARTICIPANTS_PAGE = "<b>{title}</b> — {shown} из {total}\n\n{lines}"
PARTICIPANTS_ALL = "Все участники"
PARTICIPANT_LINE = "{n}. {name} — {role}, {status}"
#: Before the questionnaire's name a person is known by what the bot saw: when they came, by which link (its
#: date and the last characters of its code, as at the end of the link the curator sent), the parent's name.
PARTICIPANT_UNNAMED = "{pseudonym} · вход {joined} · ссылка {invite}"
PARTICIPANT_UNNAMED_PARENT = " · родитель: {parent}"
PARTICIPANT_INVITE = "от {date} (…{tail})"
PARTICIPANT_INVITE_GONE = "удалена"
PARTICIPANT_CARD = (
    "{title}\nРоль: {role}\nФорма: {form}\nПрисоединился: {joined}\nСсылка-приглашение: {invite}\n"
    "Статус: {status}\nСогласие: {consent}\n\n{answers}"
)
PARTICIPANT_CARD_TITLE = "<b>{name}</b> ({pseudonym})"
PARTICIPANT_CARD_TITLE_UNNAMED = "<b>{pseudonym}</b> (имя ещё не указано)"
CONSENT_PAPER_DETAILS = "бумажное от {date}, подписал(а) {parent}; отмечено куратором {at}"
CONSENT_PARENT_DETAILS = " ({parent}, {relation})"
BTN_SHOW_LIST = "Список"
BTN_PREV = "‹ Назад"
BTN_NEXT = "Далее ›"
BTN_TO_SUMMARY = "К сводке"
BTN_PAPER_CONSENT = "Отметить бумажное согласие"
PAPER_CONSENT_DONE = "Бумажное согласие отмечено для {pseudonym}. Участник получит уведомление."
PAPER_CONSENT_ALREADY = "У этого участника согласие уже есть."
CONSENT_PAPER_HELP = (
    "Кто ждёт согласия родителя — ниже. Откройте участника и нажмите «Отметить бумажное согласие»: бот "
    "спросит ФИО родителя и дату на бумаге. Все участники — /participants."
)
CONSENT_PAPER_NOBODY = "Согласия родителя никто не ждёт. Все участники — /participants."
PAPER_ASK_PARENT = (
    "Бумажное согласие для участника:\n{who}\n\nНапишите фамилию, имя и отчество родителя (законного "
    "представителя), как они написаны в согласии. Отменить — /cancel."
)
PAPER_BAD_PARENT = (
    "Напишите ФИО родителя буквами, как в согласии, например: Иванова Мария Петровна. Отменить — /cancel."
)
PAPER_ASK_DATE = "Дата на согласии? Напишите её так: ДД.ММ.ГГГГ, например {today}. Отменить — /cancel."
PAPER_DATE_UNREADABLE = (
    "Не понял дату. Напишите её так, как на бумаге: ДД.ММ.ГГГГ, например 01.12.2026. Отменить — /cancel."
)
PAPER_DATE_NO_SUCH = "Такой даты нет: {text}. Проверьте число и месяц. Отменить — /cancel."
PAPER_DATE_FUTURE = (
    "{date} ещё не наступило (сегодня {today}): согласие не может быть подписано позже сегодняшнего дня. "
    "Проверьте дату на бумаге. Отменить — /cancel."
)
PAPER_DATE_TOO_OLD = (
    "{date} — больше года назад: такое согласие уже не действует на этот учебный год, нужно новое. "
    "Отменить — /cancel."
)
PAPER_CONFIRM = (
    "<b>Отметить бумажное согласие?</b>\n\nУчастник: {who}\nРодитель (законный представитель): {parent}\n"
    "Дата согласия: {date}\n\nПосле этого участник сможет заполнить анкету."
)
BTN_PAPER_CONFIRM = "Подтвердить"
DIALOG_CANCELLED = "Отменено, ничего не изменено."
BTN_RENAME = "Исправить имя"
RENAME_ASK = (
    "Имя сейчас: <b>{name}</b>\nНапишите исправленное ({what}). Отменить — /cancel."
)
RENAME_BAD = "{problem} Отменить — /cancel."
RENAME_SAME = "Это то же самое имя. Напишите исправленное или отмените — /cancel."
RENAME_CONFIRM = (
    "<b>Исправить имя?</b>\n\n{old} → <b>{new}</b>\n\nНовое имя будет в списках, парах, выгрузках и документах, "
    "которые бот сделает после этого."
)
BTN_RENAME_CONFIRM = "Исправить"
RENAME_DONE = "Имя исправлено: {old} → {new}."
CHILD_PAPER_CONSENTED = "Куратор отметил бумажное согласие. Можно заполнить анкету!"
PARTICIPANT_GONE = "Этого участника больше нет (данные удалены)."
PARENT_OWN_LINK = (
    "Эту ссылку должен открыть ваш родитель или законный представитель в своём Telegram. Перешлите её ему."
)
CURATOR_USER_BLOCKED = "Участник {who} заблокировал бота: сообщения ему не доходят. Свяжитесь с ним другим способом."
# How a curator's notice names a participant: the name, the role and the pair. A pair's number is its id on every
# screen and sheet (the /pairs list and card, alerts, the digest, the XLSX files), so one number finds it anywhere.
WHO = "<b>{name}</b> ({role}, {pair})"
WHO_PAIR = "пара №{id}"
WHO_GROUP = "группа №{id}"
WHO_NO_PAIR = "без пары"
WHO_IN_PAIR = "<b>{name}</b> ({role})"  # inside a notice that names the pair itself
CONSENT_NONE = "нет"
REASON_WITHDRAWAL = "отзыв согласия"
REASON_PARENT_WITHDRAWAL = "отзыв согласия родителем"
QUESTION_CURRENT = "\n\nСейчас: {value}"
INVITE_LIST_OF = " из {n}"
INVITE_LIST_UNTIL = ", до {date}"
LIST_ALL = "все"
FORGET_CONFIRM_PARENT = (
    "Вы давали согласие за ребёнка. Отозвать его? Обработка данных ребёнка сразу прекратится, его профиль "
    "и ответы будут <b>удалены безвозвратно</b>, участие в программе закончится."
)
BTN_FORGET_CHILD = "Отозвать за: {name}"
FORGET_DONE_PARENT = "Готово: согласие отозвано, данные ребёнка удалены. Куратор получит запись об уничтожении данных."

# --- the destruction act (Приказ РКН № 179): the curator ------------------------------------------------------
CURATOR_COMMANDS.update({"destruction_act": "Акт об уничтожении персональных данных (DOCX)"})
HELP_CURATOR_EXTRA += "\n/destruction_act — акт об уничтожении персональных данных за период (DOCX)"
DESTRUCTION_ACT_PICK = (
    "<b>Акт об уничтожении персональных данных</b>\n"
    "В акт войдут все записи об уничтожении данных (после отзыва согласия) за выбранный период. За какой?"
)
BTN_ACT_THIS_MONTH = "Этот месяц"
BTN_ACT_LAST_MONTH = "Прошлый месяц"
BTN_ACT_THIS_YEAR = "Этот год"
DESTRUCTION_ACT_NONE = "С {start} по {end} персональные данные не уничтожались: акт за этот период не нужен."
DESTRUCTION_ACT_READY = "Акт об уничтожении персональных данных с {start} по {end}: записей — {n}."
DESTRUCTION_ACT_CAPTION = (
    "Акт об уничтожении персональных данных с {start} по {end}. Впишите номер, адрес (если пуст), "
    "должности и ФИО уничтоживших данные, подпишите; храните акт 3 года."
)
DESTRUCTION_SYSTEM = "Nastavnik — Telegram-бот программы наставничества «{org}»"
DESTRUCTION_CARRIER = "файл базы данных SQLite «{file}» (и его журнал WAL) на компьютере (сервере) оператора"

# --- forming pairs: the curator -------------------------------------------------------------------------
CURATOR_COMMANDS.update(
    {
        "groupmeeting": "Групповая встреча и присутствие",
        "preferences": "Анкета предпочтений",
        "match": "Подбор пар и групп",
        "pairs": "Пары и группы",
        "bases": "Базы наставляемых и наставников (XLSX)",
    }
)
HELP_CURATOR_EXTRA += (
    "\n/groupmeeting — групповая встреча кандидатов, отметка присутствия\n"
    "/preferences — анкета предпочтений после встречи\n"
    "/match — подбор пар и групп, утверждение\n"
    "/pairs — пары и группы, расформирование\n"
    "/bases — базы наставляемых и наставников (XLSX)"
)
PICK_FORM = "Для какой формы наставничества?"
NO_CANDIDATES = "Пока некого подбирать: нет участников с согласием и заполненной анкетой."
GM_ASK_WHEN = "Групповая встреча кандидатов ({form}). Когда она пройдёт? Напишите дату и время, например: 25.09 16:30"
GM_ASK_PLACE = "Где? Напишите место (например: «СЮТ, каб. 12») или «онлайн» со ссылкой."
GM_BAD_WHEN = "Не понял дату и время. Напишите, например: 25.09 16:30"
GM_PAST = "Это время уже прошло. Напишите дату и время встречи в будущем."
GM_PREVIEW = "<b>Групповая встреча</b>\nФорма: {form}\nКогда: {when}\nГде: {place}\n\nПолучат приглашение: {count}."
GM_ANNOUNCE = (
    "<b>Групповая встреча наставников и наставляемых</b>\n{when}\nМесто: {place}\n\n"
    "Познакомимся, а после встречи вы сможете выбрать, с кем хотели бы работать."
)
GM_SENT = "Приглашение отправлено: {count}. Присутствие можно отметить здесь же: /groupmeeting."
GM_EXISTS = "<b>Групповая встреча</b> ({form}): {when}, {place}.\nОтмечено присутствующих: {present} из {total}."
GM_ATTENDANCE = "Отметьте, кто был на встрече ({present} из {total}):"
GM_ATTENDANCE_DONE = (
    "<b>Присутствие отмечено</b>: {present} из {total}.\nБыли: {came}\nНе было: {missed}\n\n"
    "Изменить отметки — /groupmeeting. Анкета предпочтений — /preferences."
)
BTN_SEND = "Разослать"
BTN_NEW_MEETING = "Назначить новую встречу"
BTN_ATTENDANCE = "Отметить присутствие"
BTN_CANCEL = "Отмена"
PREF_PICK_SOURCE = "Анкета предпочтений ({form}). Из кого выбирать?"
BTN_FROM_ATTENDEES = "Только из бывших на встрече"
BTN_FROM_ALL = "Из всех кандидатов формы"
PREF_NO_ATTENDEES = "На встрече никто не отмечен. Сначала отметьте присутствие: /groupmeeting."
PREF_OPENED = "Анкета предпочтений открыта и разослана: {count}. Ход ответов — /preferences."
PREF_STATUS = "<b>Анкета предпочтений</b> ({form})\nОтветили: {answered} из {total}.\nНе ответили: {missing}"
BTN_REMIND = "Напомнить не ответившим"
BTN_CLOSE_ROUND = "Закрыть анкету"
BTN_NEW_ROUND = "Открыть заново"
PREF_REMINDED = "Напоминание отправлено: {count}."
PREF_CLOSED = "Анкета предпочтений закрыта. Подбор — /match."

# --- forming pairs: the participant's preference survey ---------------------------------------------------
PREF_INVITE = (
    "После групповой встречи выберите, с кем вам хотелось бы работать: до {n} человек по порядку "
    "предпочтения. Можно ответить «Без предпочтений»."
)
PREF_REMINDER = "Напоминание: вы ещё не ответили на анкету предпочтений. Это займёт минуту."
BTN_PREF_START = "Выбрать"
PREF_SCREEN_MENTEE = "Кого из наставников вы бы выбрали? Нажимайте по порядку: первый — самый желанный (до {n})."
PREF_SCREEN_MENTOR = "Кого из наставляемых вы готовы взять? Нажимайте по порядку предпочтения (до {n})."
PREF_CHOSEN = "\n\nВаш выбор:\n{lines}"
PREF_NOBODY = "Пока некого выбирать — куратор подберёт пару сам."
BTN_PREF_NONE = "Без предпочтений"
BTN_PREF_RESET = "Сбросить"
BTN_PREF_DONE = "Готово"
PREF_THANKS = "Спасибо! Ваш выбор записан. Куратор сообщит о паре."
PREF_THANKS_NONE = "Спасибо! Записали: без предпочтений. Куратор сообщит о паре."
PREF_CLOSED_FOR_YOU = "Анкета предпочтений уже закрыта."
PREF_LIMIT = "Можно выбрать не больше {n}."

# --- forming pairs: the draft and confirmation -----------------------------------------------------------------
DRAFT_HEADER = (
    "<b>Черновик подбора</b> — {form}\nНаставляемых подобрано: {matched} из {mentees}; "
    "пар: {pairs}, групп: {groups}; сумма баллов: {total}\nОграничения: закреплено {pins}, исключено {excluded}"
)
DRAFT_GROUP = "\n\n<b>{n}. {mentor}</b>{kind}"
DRAFT_KIND_GROUP = " — группа ({size})"
DRAFT_MEMBER = "\n• {name} — {score} б.{pin}: {reasons}"
DRAFT_PIN_MARK = " 📌"
DRAFT_UNMATCHED = "\n\n<b>Без пары</b>"
DRAFT_UNMATCHED_LINE = "\n• {name}: {reason}"
DRAFT_FREE_PLACES = "\n\n<b>Есть свободные места</b>"
DRAFT_FREE_LINE = "\n• {name}: свободно мест — {free}"
DRAFT_DISSOLVED = "\n\n<b>Не предлагаются снова</b> (пара расформирована; вернуть — «Переместить»)"
DRAFT_DISSOLVED_LINE = "\n• {mentee} — {mentor}"
DRAFT_PAGE = "\n\n<i>Страница {page} из {pages}</i>"
DRAFT_EMPTY = "\n\nПредложить некого: {reason}"
BTN_MOVE = "Переместить"
BTN_PIN = "Закрепить пару"
BTN_EXCLUDE = "Исключить пару"
BTN_RERUN = "Пересчитать"
BTN_RESET_CONSTRAINTS = "Сбросить ограничения"
BTN_CONFIRM_MATCH = "Утвердить"
PICK_MENTEE_TO_MOVE = "Кого переместить?"
PICK_MENTOR_TARGET = "К какому наставнику переместить: {name}?"
PICK_PAIR_TO_PIN = "Какую пару закрепить (она останется при пересчёте)?"
PICK_PAIR_TO_EXCLUDE = "Какую пару исключить (её больше не предложат)?"
BTN_BACK_TO_DRAFT = "← К черновику"
DRAFT_CHANGED = "Пока вы смотрели, данные изменились (кто-то ответил или вышел из программы). Вот новый черновик."
DRAFT_CHANGED_WHAT = (
    "Пока вы смотрели, данные изменились — ничего не утверждено. Что изменилось:{changes}\n\n"
    "Проверьте новый черновик и утвердите снова."
)
DRAFT_RERUN_CHANGED = "Пересчитано. Что изменилось:{changes}"
DRAFT_RERUN_SAME = "Пересчитано: ничего не изменилось — те же пары и баллы."
DRAFT_RERUN_SCORES = "Пересчитано: пары те же, обновились баллы или имена."
DRAFT_CHANGE_FORM = "\n<b>{form}</b>"
DRAFT_CHANGE_NEW = "\n• {mentee}: новая пара — {after}"
DRAFT_CHANGE_MOVED = "\n• {mentee}: теперь {after} (было: {before})"
DRAFT_CHANGE_UNMATCHED = "\n• {mentee}: теперь без пары (было: {before})"
DRAFT_CHANGE_PAIRED = "\n• {mentee}: уже в утверждённой паре (было: {before})"
DRAFT_CHANGE_GONE = "\n• {mentee}: больше не среди кандидатов (было: {before})"
DRAFT_GONE_PERSON = "{pseudonym} (участник удалил данные)"
MATCH_OVERVIEW = "<b>Подбор по формам</b>{lines}\n\nДля какой формы наставничества открыть черновик?"
MATCH_OVERVIEW_LINE = "\n• {form}: подобрано {matched} из {mentees}; пар: {pairs}, групп: {groups}"
MATCH_OVERVIEW_ALL = " «Утвердить всё» утвердит черновики всех форм сразу, с одним приказом на всех."
BTN_CONFIRM_ALL = "Утвердить всё"
MATCH_CONFIRMED_ALL = (
    "Утверждено по формам:{lines}\nУчастникам отправлены уведомления. Ниже — список и один проект приказа на все "
    "утверждённые формы."
)
MATCH_CONFIRMED_ALL_LINE = "\n• {form}: пар — {pairs}, групп — {groups}"
MATCH_CONFIRMED = (
    "Утверждено: пар — {pairs}, групп — {groups}. Участникам отправлены уведомления. Ниже — список и проект приказа."
)
MATCH_NOTHING_TO_CONFIRM = "В черновике нет ни одной пары — утверждать нечего."
PAIR_NOTICE_MENTEE = (
    "Ваш наставник — <b>{mentor}</b> ({form}).\n"
    "Встречи идут через этого бота: наставник назначит первую — встречу-знакомство, приглашение и напоминания "
    "придут сюда. Ваша пара и встречи — в /menu."
)
PAIR_NOTICE_MENTOR = (
    "Вам закреплены наставляемые ({form}):\n{mentees}\n\n"
    "Встречи назначаются в боте: /menu → «Назначить встречу». Начните со встречи-знакомства — "
    "приглашение получат ваши наставляемые."
)
PAIRS_XLSX_CAPTION = "Наставнические пары и группы"
ORDER_DOCX_CAPTION = "Проект приказа о закреплении наставнических пар (групп) — проверьте и подпишите."

# --- pairs ------------------------------------------------------------------------------------------------------------
PAIRS_EMPTY = "Утверждённых пар и групп пока нет. Подбор — /match."
PAIRS_LIST = "<b>Пары и группы</b> ({count})\n{lines}"
PAIRS_FORM = "\n<b>{form}</b>"
PAIRS_LINE = "\n№{n} {mentor} — {mentees}"
PAIR_WITHDRAWN = "участник удалил данные"
PAIR_CARD = "<b>{kind} №{id}</b> ({form})\nНаставник: {mentor}\nНаставляемые: {mentees}\nЗакреплена: {date}"
KIND_PAIR = "Пара"
KIND_GROUP = "Группа"
BTN_DISSOLVE = "Расформировать"
BTN_TO_PAIRS = "← К списку"
DISSOLVE_ASK_REASON = "Почему расформировываем пару №{id}? Напишите причину одним сообщением (её увидят участники)."
DISSOLVE_BAD_REASON = "Напишите причину словами, от 3 до 300 символов."
DISSOLVED = "Пара №{id} расформирована. Участники вернулись в подбор: /match."
DISSOLVED_NOTICE = (
    "Ваша наставническая пара (группа) расформирована куратором. Причина: {reason}\nКуратор подберёт новую пару."
)
BASES_PICK = "Какую базу выгрузить?"
BTN_BASE_MENTEES = "База наставляемых"
BTN_BASE_MENTORS = "База наставников"
BASE_EMPTY = "В этой базе пока никого нет."
BASE_IN_PAIR = "в паре №{id}"  # the status of someone paired, by the number /pairs shows
BASE_IN_GROUP = "в группе №{id}"
MENU_MY_MENTOR = "\nМой наставник: {name}"
MENU_MY_MENTEES = "\nМои наставляемые: {names}"
MENU_MENTOR_PENDING = "\nМой наставник: ещё не назначен — куратор подбирает нового."
MENU_MENTEES_PENDING = "\nМои наставляемые: пока нет — куратор подберёт."

# --- meetings: the pair's side ---------------------------------------------------------------------------
MENU_STAGE = "\n{stage}"
MENU_NEXT_MEETING = "\nСледующая встреча: {when}, {place}"
MENU_NO_MEETING = "\nСледующая встреча ещё не назначена."
BTN_SCHEDULE = "Назначить встречу"
BTN_MY_MEETINGS = "Встречи"
MEET_NOT_MENTOR = "Встречи назначает наставник пары."
MEET_NO_PAIR = "У вас пока нет пары: встречи появятся, когда куратор утвердит пары."
MEET_ALL_DONE = "Все этапы пройдены, итоговая встреча состоялась. Спасибо!"
MEET_PICK_DATE = "<b>{stage}</b>\nВыберите дату встречи:"
MEET_PICK_TIME = "{date}. Во сколько? Выберите время или напишите, например: 16:30"
MEET_PICK_PLACE = "Где встречаемся? Выберите или напишите место."
MEET_ASK_TOPIC = "Тема встречи? Напишите коротко или нажмите «Пропустить»."
MEET_PREVIEW = "<b>{stage}</b>\nКогда: {when}\nГде: {place}\nТема: {topic}"
MEET_TOPIC_NONE = "—"
BTN_ONLINE = "Онлайн"
BTN_AT_SCHOOL = "В объединении"
BTN_SEND_INVITE = "Отправить приглашение"
BTN_MEET_CANCEL = "Отмена"
MEET_BAD_TEXT = "Напишите место словами, до 200 символов."
MEET_BAD_TOPIC = "Тема — до 200 символов. Или нажмите «Пропустить»."
MEET_CREATED = "Приглашение отправлено. Напомню всем за {offsets} до встречи."
MEET_MOVED = "Встреча перенесена: {when}. Участники получили уведомление."
MEET_CANCELLED = "Встреча отменена, участники получили уведомление."
MEET_INVITE = "<b>Приглашение на встречу: {stage}</b>\nНаставник: {mentor}\nКогда: {when}\nГде: {place}\nТема: {topic}"
BTN_ACCEPT = "Подтверждаю"
BTN_OTHER_TIME = "Нужно другое время"
MEET_ACCEPTED = "Спасибо, встреча подтверждена: {when}."
MEET_ACCEPTED_MENTOR = "{name} подтверждает встречу {when}."
MEET_ASK_OTHER_TIME = "Когда вам удобно? Напишите одним сообщением, я передам наставнику."
MEET_OTHER_TIME_SENT = "Передал наставнику. Он предложит другое время."
MEET_OTHER_TIME_MENTOR = "{name} просит другое время для встречи {when}: «{text}»"
BTN_MOVE_MEETING = "Перенести"
BTN_CANCEL_MEETING = "Отменить встречу"
MEET_MOVED_NOTICE = "Встреча «{stage}» перенесена: {when}, {place}."
MEET_CANCELLED_NOTICE = "Встреча «{stage}» {when} отменена наставником."
MEET_LIST = "<b>Встречи</b>\n{lines}"
MEET_LIST_LINE = "\n{when} — {stage} ({status})"
MEET_STATUS = {"planned": "назначена", "held": "состоялась", "not_held": "не состоялась", "cancelled": "отменена"}
MEET_NONE = "Встреч пока не было."
REMINDER = "Напоминание: {relative} встреча «{stage}» — {when}, {place}."
CHECKIN_ASK = "Встреча «{stage}» ({when}) состоялась?"
BTN_HELD = "Да"
BTN_MOVED = "Перенесли"
BTN_NOT_HELD = "Не состоялась"
CHECKIN_USEFUL = "Насколько полезной была встреча? 1 — совсем нет, 5 — очень."
CHECKIN_WHAT = "Что сделали на встрече? Напишите коротко (это увидит только куратор) или нажмите «Пропустить»."
CHECKIN_THANKS = "Спасибо, отметил!"
CHECKIN_MOVED_MENTOR = "Хорошо. Назначьте новое время встречи:"
CHECKIN_MOVED_MENTEE = "Хорошо, наставник предложит новое время."
CHECKIN_WHY = "Почему встреча не состоялась?"
CHECKIN_REASONS = {"ill": "Болезнь", "busy": "Не смогли прийти", "forgot": "Забыли", "other": "Другое"}
CHECKIN_DISAGREE = "Ответы о встрече «{stage}» {when} расходятся ({pair}):{answers}"
CHECKIN_DISAGREE_LINE = "\n• {who}: «{answer}»"
CHECKIN_NOT_ANSWERED = "ещё не ответил"
FIT_ASK = "Первая встреча позади. Как вам пара — подходит?"
BTN_FIT_YES = "Да, подходит"
BTN_FIT_UNSURE = "Пока не понятно"
BTN_FIT_NO = "Не подходит"
FIT_THANKS = "Спасибо за ответ!"
FIT_ALERT = "{who} отвечает, что пара не подходит. Стоит поговорить.\nОтветы «Как вам пара?»:{answers}"
FIT_LABELS = {"yes": BTN_FIT_YES, "unsure": BTN_FIT_UNSURE, "no": BTN_FIT_NO}
NUDGE_MENTOR = "С последней встречи прошло {days} дн. Назначьте следующую: /menu → «Назначить встречу»."
ALERT_QUIET = "{kind} №{pair} без встреч уже {days} дн. Наставник: {mentor}. Наставляемые: {mentees}."
DIGEST = (
    "<b>Сводка на {date}</b>\n\nВстречи сегодня: {today}{lines}\n"
    "Нет отметки «состоялась ли»: {missing}\nПары без встреч {days}+ дн.: {quiet}\n"
    "Ждут согласия (своего или родителя): {pending}"
)
DIGEST_LINE = "\n• {time} — {pair}, {stage}"
CURATOR_USER_UNBLOCKED = "Участник {who} снова доступен в боте."

# --- informing: a line to the curator, materials, broadcasts ---------------------------------------------------
CURATOR_COMMANDS.update({"broadcast": "Рассылка участникам", "materials": "Материалы программы"})
HELP_CURATOR_EXTRA += "\n/broadcast — рассылка участникам\n/materials — материалы программы (загрузить, удалить)"
PARTICIPANT_COMMANDS.update({"ask": "Вопрос куратору"})
HELP_PARTICIPANT = HELP_PARTICIPANT.replace("/cancel", "/ask — задать вопрос куратору\n/cancel", 1)
BTN_ASK = "Вопрос куратору"
BTN_MATERIALS = "Материалы"
ASK_PROMPT = "Напишите вопрос одним сообщением. Его увидит только куратор программы."
ASK_BAD = "Напишите вопрос текстом, до 1000 символов."
ASK_SENT = "Вопрос отправлен куратору. Ответ придёт сюда."
ASK_TO_CURATOR = "<b>Вопрос от участника</b> {who}:\n\n{text}"
BTN_REPLY = "Ответить"
ANSWER_PROMPT = "Ваш ответ на вопрос {who}? Напишите одним сообщением."
ANSWER_SENT = "Ответ отправлен."
ANSWER_ALREADY = "На этот вопрос уже ответили."
ANSWER_TO_PARTICIPANT = "<b>Ответ куратора</b> на ваш вопрос «{question}»:\n\n{answer}"
MATERIALS_EMPTY = "Материалов пока нет."
MATERIALS_LIST = "<b>Материалы программы</b>\nВыберите документ:"
MATERIALS_CURATOR = "<b>Материалы программы</b> ({count})\n{lines}"
MATERIAL_LINE = "\n{n}. {title} — {audience}"
MATERIAL_AUDIENCES = {"all": "всем", "mentors": "наставникам", "mentees": "наставляемым"}
BTN_ADD_MATERIAL = "Добавить документ"
BTN_DELETE_MATERIAL = "Удалить №{n}"
MATERIAL_SEND_FILE = "Пришлите документ (файлом)."
MATERIAL_NEED_FILE = "Нужен документ файлом (PDF, DOCX…), не фото и не текст."
MATERIAL_ASK_TITLE = "Как назвать документ для участников? Например: «Положение о наставничестве»."
MATERIAL_BAD_TITLE = "Название — от 2 до 100 символов."
MATERIAL_ASK_AUDIENCE = "Кому он нужен?"
MATERIAL_ADDED = "Документ «{title}» добавлен ({audience})."
MATERIAL_DELETED = "Документ удалён."
MATERIAL_DELETE_CONFIRM = "Удалить документ «{title}» ({audience})? Участники больше не смогут его открыть."
BTN_MATERIAL_DELETE_YES = "Да, удалить"
BTN_MATERIAL_DELETE_NO = "Отмена"
BROADCAST_ASK = (
    "Напишите сообщение для рассылки: текст, или фото / документ с подписью. Оформление жирным и курсивом сохранится."
)
BROADCAST_BAD = "Рассылка — текст до 3500 символов, или фото / документ с подписью до 1000 символов."
BROADCAST_PICK_AUDIENCE = "Кому отправить?"
BROADCAST_AUDIENCES = {
    "all": "Всем участникам",
    "mentors": "Наставникам",
    "mentees": "Наставляемым",
    "unfinished": "Не заполнившим анкету",
    "awaiting_parent": "Ждущим согласия родителя",
}
BTN_AUDIENCE_FORM = "Форме наставничества…"
BTN_AUDIENCE_CLUB = "Объединению…"
BROADCAST_PREVIEW = "Получателей: <b>{count}</b> ({audience}). Так будет выглядеть сообщение — ниже. Отправить?"
BROADCAST_NOBODY = "В этой группе никого нет — выберите другую."
BTN_BROADCAST_SEND = "Отправить"
BROADCAST_QUEUED = "Рассылка поставлена в очередь: {count}. Отчёт о доставке придёт, когда она закончится."
BROADCAST_QUIET = "\nСейчас тихие часы: сообщение уйдёт {when}."
QUIET_TODAY = "в {time}"
QUIET_TOMORROW = "завтра в {time}"
BROADCAST_REPORT = (
    "<b>Отчёт о рассылке №{id}</b>\nДоставлено: {sent}\nЗаблокировали бота: {blocked}\nНе доставлено: {failed}"
)

# --- monitoring campaigns ------------------------------------------------------------------------------------
CURATOR_COMMANDS.update({"campaign": "Опрос (мониторинг)", "summary": "Сводка программы", "export": "Выгрузка XLSX"})
HELP_CURATOR_EXTRA += (
    "\n/campaign — запустить опрос (мониторинг качества, самооценка, итоговая анкета)"
    "\n/summary — сводка программы; /summary charts — графики"
    "\n/export — выгрузка всех данных в XLSX и сводка для муниципального центра"
)
CAMPAIGN_INVITE = "<b>{title}</b>\nОтветьте, пожалуйста, до {until}. Это займёт несколько минут."
CAMPAIGN_NUDGE = "Напоминание: опрос «{title}» ждёт ваших ответов до {until}."
BTN_CAMPAIGN_ANSWER = "Ответить"
CAMPAIGN_CLOSED = "Этот опрос уже закрыт. Спасибо!"
CAMPAIGN_NOT_FOR_YOU = "Этот опрос не для вас."
CAMPAIGN_ALREADY = "Вы уже ответили на этот опрос. Спасибо!"
CAMPAIGN_DONE = "Спасибо! Ответы сохранены."
CAMPAIGN_PICK_SURVEY = "Какой опрос запустить?"
CAMPAIGN_PICK_SEGMENT = "Кому?"
CAMPAIGN_SEGMENTS = {
    "active": "Участникам пар и групп",
    "all": "Всем участникам",
    "mentees": "Наставляемым",
    "mentors": "Наставникам",
}
CAMPAIGN_PICK_DAYS = "Сколько дней принимать ответы?"
CAMPAIGN_PREVIEW = "<b>{title}</b>\nПолучателей: {count}\nОтветы до {until}.{already}\nЗапустить?"
CAMPAIGN_ALREADY_OPEN = (
    "\n\n⚠️ Такой опрос уже идёт: «{title}», ответы до {until}, ответили {done} из {total}. "
    "Новый опрос придёт его получателям ещё раз."
)
CAMPAIGN_NOBODY = "В этой группе некому отвечать на этот опрос."
BTN_CAMPAIGN_START = "Запустить"
CAMPAIGN_CANCELLED = "Опрос не запущен: никому ничего не отправлено."
CAMPAIGN_STARTED = "Опрос запущен: {count} получателей. Напоминания — каждые {every}."
CAMPAIGN_CLOSED_REPORT = "Опрос «{title}» закрыт: ответили {done} из {total}."
CAMPAIGN_LAUNCH_REPORT = (
    "📋 По календарю программы запущен опрос «{title}», ответы до {until}.\n"
    "Приглашение получили {count}:\n{names}{waiting}"
)
CAMPAIGN_REPORT_NAME = "• {name} — {role}"
CAMPAIGN_REPORT_MORE = "• и ещё {count}"
CAMPAIGN_WAITING = "\n\nЕщё не приглашены — их пара работает меньше {weeks} нед. ({count}):\n{lines}"
CAMPAIGN_WAITING_LINE = "• {name} — {role}: получит приглашение {date}"
CAMPAIGN_WAITING_TOO_LATE = "• {name} — {role}: не получит, срок наступит {date}, после закрытия опроса"
CAMPAIGN_LATE_REPORT = (
    "📋 Опрос «{title}» (ответы до {until}): приглашение получили ещё {count} — из новых пар и групп:\n{names}"
)
GROWTH_ENTRY_TITLE = "Самооценка в начале работы пары"
CURATOR_COMMANDS.update({"surveys": "Открытые опросы: кто не ответил, закрыть"})
HELP_CURATOR_EXTRA += "\n/surveys — открытые опросы: кто не ответил, напомнить им, закрыть опрос"
SURVEYS_NONE = "Открытых опросов нет. Запустить опрос — /campaign."
SURVEYS_HEADER = "<b>Открытые опросы</b> ({count})"
SURVEYS_LINE = "\n\n{n}. <b>{title}</b> — {audience}\nОткрыт {opened}, ответы до {until}\nОтветили {done} из {total}"
SURVEY_AUDIENCE_PAIR = "пара или группа №{pair}"
SURVEYS_WAITING = "\nЕщё не приглашены (пара работает меньше {weeks} нед.): {count}, из них получат до закрытия: {soon}"
BTN_SURVEY_PENDING = "Кто не ответил"
BTN_SURVEY_CLOSE = "Закрыть опрос"
BTN_SURVEY_NUMBERED = "{n}. {label}"
SURVEY_PENDING = "<b>{title}</b>, ответы до {until}\nНе ответили {count} из {total}:\n{names}"
SURVEY_ALL_ANSWERED = "<b>{title}</b>: ответили все ({total})."
BTN_SURVEY_REMIND = "Напомнить"
BTN_SURVEYS_BACK = "← К опросам"
SURVEY_REMINDED = "Напоминание поставлено в очередь: {count}."
SURVEY_REMINDED_ALREADY = "Сегодня им уже напоминали."
SURVEY_CLOSE_CONFIRM = (
    "Закрыть опрос «{title}»? Ответили {done} из {total}.\n"
    "Новые ответы приниматься не будут, данные ответы сохранятся."
)
BTN_SURVEY_CLOSE_YES = "Да, закрыть"
SURVEY_ALREADY_CLOSED = "Этот опрос уже закрыт."

# --- reports -------------------------------------------------------------------------------------------------
SUMMARY_HEADER = "<b>Сводка программы</b> на {date}"
SUMMARY_PEOPLE = "\n\n<b>Участники</b>: {total}\n{by_role}\nСогласия: {consented} из {total}; ждут родителя: {waiting}"
SUMMARY_ROLE_LINE = "{role}: {n}"
SUMMARY_ROLE_UNCONSENTED = " (без согласия: {n})"
SUMMARY_FORMS = "\n\n<b>Пары и группы</b>\n{lines}"
SUMMARY_FORM_LINE = "{form}: пар {pairs}, групп {groups} (наставляемых {mentees})"
SUMMARY_MEETINGS = "\n\n<b>Встречи</b>: состоялось {held}, назначено {planned}, не состоялось {missed}\n{lines}"
SUMMARY_STAGE_LINE = "{stage}: {held} / {planned} / {missed}"
SUMMARY_CAMPAIGNS = "\n\n<b>Опросы</b>\n{lines}"
SUMMARY_CAMPAIGN_LINE = "«{title}»: ответили {done} из {total}"
SUMMARY_SATISFACTION = "\n\n<b>Качество по периодам мониторинга</b>\n{lines}"
SUMMARY_PERIOD = "<i>{period}</i> (опросов: {campaigns})"
MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
SUMMARY_GROWTH = "\n\n<b>Рост: начало → конец</b>\n{lines}"
SUMMARY_ITEM = "{label}: {mean} ({n})"
SUMMARY_GROWTH_ITEM = "{label}: {entry} → {end} ({n})"
SUMMARY_HIDDEN = "мало ответов"
SUMMARY_QUIET = "\n\nПары без встреч {days}+ дн.: {quiet}"
SUMMARY_TOP = "\n\n<b>Лучшие наставники</b> (номинации; средняя оценка)\n{lines}"
SUMMARY_TOP_LINE = "{n}. {name}: {nominations}; {mean}"
SUMMARY_NONE = "—"
SUMMARY_CHARTS_HINT = "\n\nГрафики — /summary charts, все данные — /export."
CHART_STAGES = "Пары по этапам"
CHART_SATISFACTION = "Качество программы: средние оценки"
CHART_GROWTH = "Самооценка: начало → конец"
EXPORT_CAPTION = "Выгрузка данных программы: наставляемые, наставники, пары, встречи, ответы, мониторинг, учёт."
MUNICIPAL_COLUMNS = ("Показатель", "Количество", "Среднее / доля, %", "Из (ответов, контингент)")
MUNICIPAL_LINES = {
    "mentees": "Наставляемых (с согласием)",
    "mentors": "Наставников (с согласием)",
    "pupils_share": "Доля обучающихся, вовлечённых в наставничество, %",
    "teachers_share": "Доля педагогов, вовлечённых в наставничество, %",
    "satisfaction": "Средняя удовлетворённость (1–10), {period}",
    "form_pairs": "{form}: пар",
    "form_groups": "{form}: групп",
    "form_mentees": "{form}: наставляемых",
    "pairs": "Пар и групп",
}

# --- completion (4.6) ------------------------------------------------------------------------------------------
BTN_FINISH_YEAR = "Завершить программу года"
FINISH_CONFIRM = (
    "<b>Вы уверены, что хотите завершить программу {year}?</b>\n\n"
    "• Закончат работу пары и группы: {count}. Участники получат благодарность.\n"
    "• Пары, встречи и показатели года перейдут в архив: они останутся в /pairs и /summary (кнопка «Архив {year}») "
    "и в выгрузке (/export {year}).\n"
    "• В новый подбор (/match) участники года попадут, когда подтвердят участие в следующем году: кнопкой в "
    "благодарности или ответом «Да» в итоговой анкете.\n\n"
    "Вернуть пары после завершения нельзя."
)
BTN_FINISH_OK = "Да, завершить"
FINISH_REASON = "завершение программы года"
FINISHED = (
    "Программа {year} завершена: закрыто пар и групп — {count}. Год в архиве: «Архив {year}» в /pairs, "
    "/summary {year}, /export {year}.\nУчастие в следующем году уже подтвердили (итоговая анкета): {renewed}."
)
FINISH_NOTHING = "Завершать нечего: у этого года нет пар и групп."
FINISHED_NOTICE = (
    "Программа наставничества этого года завершена. Спасибо за работу! "
    "Если хотите участвовать и в следующем году, нажмите кнопку ниже или скажите куратору."
)
BTN_RENEW = "Участвую в следующем году"
RENEWED = "Записал: вы участвуете в программе следующего года. Куратор подберёт пару."
RENEWED_ALREADY = "Вы уже подтвердили участие в следующем году."

# --- the archive of finished years ------------------------------------------------------------------------------
BTN_ARCHIVE = "Архив {year}"
ARCHIVE_PAIRS_LIST = "<b>Архив {year}: пары и группы</b> ({count}), работали до {date}\n{lines}"
ARCHIVE_PAIRS_EMPTY = "В архиве {year} нет пар и групп, работавших до конца года."
ARCHIVE_PAIR_CARD = (
    "<b>{kind} №{id}</b> ({form}), архив {year}\nНаставник: {mentor}\nНаставляемые: {mentees}\n"
    "Работала: {start} – {end}\n\n<b>Участие в следующем году</b>\n{renewals}"
)
ARCHIVE_RENEWAL_LINE = "{name}: {state}"
ARCHIVE_RENEWAL_STATES = {
    "final": "да (итоговая анкета)",
    "button": "да (ответил(а) в боте)",
    "curator": "да (отметил куратор)",
    "": "не подтверждено — в подборе не участвует",
}
BTN_ARCHIVE_RENEW = "↩ {name} участвует в новом году"
ARCHIVE_SUMMARY_HEADER = "<b>Сводка программы {year}</b> (архив; год завершён {date})"
BTN_ARCHIVE_SUMMARY = "Сводка {year} (архив)"
BTN_ARCHIVE_EXPORT = "Выгрузка {year} (архив)"
ARCHIVE_EXPORT_CAPTION = "Выгрузка данных программы {year} (архив): пары, встречи, ответы и мониторинг года."
ARCHIVE_UNKNOWN = "Архивного года «{year}» нет. В архиве: {years}."

# --- roadmap -----------------------------------------------------------------------------------------------
CURATOR_COMMANDS.update({"roadmap": "Дорожная карта"})
HELP_CURATOR_EXTRA += "\n/roadmap — дорожная карта внедрения ЦМН"
ROADMAP_HOME = (
    "<b>Дорожная карта внедрения ЦМН</b>\n"
    "Учебный год {label}, состояние на {today}\n\n"
    "{lines}\n\n"
    "Всего пунктов: {total}; выполнено {done}, выполняется {in_progress}, просрочено {overdue}, "
    "запланировано {planned}.\nВыберите раздел."
)
ROADMAP_HOME_LINE = (
    "<b>{number}. {title}</b>\n"
    "    выполнено {done} из {total} · выполняется {in_progress} · просрочено {overdue}"
)
ROADMAP_SECTION = (
    "<b>Раздел {number}. {title}</b>\n"
    "Учебный год {label}\n\n"
    "{lines}\n\n"
    "✅ выполнено · 🟡 выполняется · 🔴 просрочено · ⚪ запланировано\n"
    "Выберите пункт."
)
ROADMAP_SECTION_LINE = "{mark} <b>{number}</b> {content} — <i>{deadline}</i>"
ROADMAP_SECTION_EMPTY = "В разделе пока нет пунктов."
ROADMAP_CARD = (
    "<b>Пункт {number}</b> · раздел {section}\n"
    "{content}\n\n"
    "<b>Срок:</b> {deadline}\n"
    "<b>Статус:</b> {mark} {status}\n"
    "<b>Ожидаемый результат:</b> {result}\n"
    "<b>Ответственные:</b> {responsible}\n"
    "<b>Отметка о выполнении:</b> {done}\n"
    "<b>Примечание:</b> {note}\n"
    "<b>Документы:</b> {documents}\n\n"
    "<i>Учебный год {label}</i>"
)
ROADMAP_NOT_DONE = "—"
ROADMAP_REOPENED_MARK = "снята (была {day}), пункт возвращён в работу"
ROADMAP_NO_NOTE = "—"
ROADMAP_NO_DOCUMENTS = "нет"
ROADMAP_DOCUMENT_LINE = "\n• {name} (прикреплён {day})"
ROADMAP_MORE_DOCUMENTS = "\n…и ещё {n}"
ROADMAP_ITEM_GONE = "Этого пункта больше нет в дорожной карте. Откройте /roadmap."
ROADMAP_ASK_NOTE = (
    "Пункт {number}: отмечаю выполненным.\n"
    "Напишите примечание (до {limit} символов) — например, «Приказ № 45 от 28.08» — или нажмите «Пропустить»."
)
ROADMAP_NOTE_BAD = "Примечание — текст до {limit} символов. Напишите его или нажмите «Пропустить»."
ROADMAP_MARKED_DONE = (
    "✅ Пункт {number} отмечен выполненным ({day}).\n"
    "Прикрепите файл — подписанный приказ, протокол — или нажмите «Готово»."
)
ROADMAP_ASK_FILE = (
    "Пришлите файл для пункта {number} — подписанный приказ, протокол: документом (PDF, DOCX…) или фото скана."
)
ROADMAP_NEED_FILE = "Нужен файл: документ (PDF, DOCX…) или фото скана. Если файла нет, нажмите кнопку ниже."
ROADMAP_UNNAMED_FILE = "документ"
ROADMAP_PHOTO_NAME = "фото от {day}.jpg"
ROADMAP_FILE_ATTACHED = "📎 Документ «{name}» прикреплён к пункту {number}.\n\n"
ROADMAP_DOCUMENT_CAPTION = "Пункт {number} дорожной карты, {label} учебный год"
ROADMAP_REOPENED = "Пункт возвращён в работу."
ROADMAP_NOTHING_TO_REOPEN = "Пункт и так в работе."
ROADMAP_EDIT_PICK = "Пункт {number}: что изменить?"
ROADMAP_FIELD_BUTTONS = {
    "content": "Содержание",
    "deadline": "Срок",
    "result": "Ожидаемый результат",
    "responsible": "Ответственные",
}
ROADMAP_PROMPTS = {
    "content": "Напишите содержание пункта — что нужно сделать.",
    "deadline": (
        "Напишите срок без года — он повторяется каждый учебный год: «до 15.10», «октябрь», «01.09–15.09», "
        "«декабрь и май», «ежеквартально», «в течение года». Подготовка летом до начала года: "
        "«август (до начала учебного года)»."
    ),
    "result": "Напишите ожидаемый результат — обычно документ: «Приказ директора», «Протокол», «Отчёт».",
    "responsible": "Кто ответственный? Например: «Куратор» или «Администрация, куратор».",
}
ROADMAP_EDIT_ASK = "Пункт {number} — {field}. Сейчас:\n<i>{current}</i>\n\n{prompt}"
ROADMAP_TRY_AGAIN = "{error}\n\nПопробуйте ещё раз или нажмите «Отмена»."
ROADMAP_ITEM_SAVED = "✅ Пункт {number} сохранён.\n\n"
ROADMAP_DELETE_CONFIRM = (
    "Удалить пункт {number} «{content}» из дорожной карты?\n"
    "Отметки о выполнении и прикреплённые документы пункта тоже будут удалены."
)
ROADMAP_DELETED = "🗑 Пункт {number} удалён.\n\n"
ROADMAP_ADD_ASK_NUMBER = "Новый пункт в разделе «{section}».\nНапишите его номер — например, «{example}»."
ROADMAP_NUMBER_TAKEN = "Пункт {number} уже есть в дорожной карте. Напишите другой номер — например, «{example}»."
ROADMAP_ADD_ASK_CONTENT = "Пункт {number}. Напишите содержание — что нужно сделать."
ROADMAP_DEADLINE_UNDERSTOOD = "Срок: {deadline}.\n\n"
ROADMAP_ITEM_ADDED = "✅ Пункт {number} добавлен.\n\n"
ROADMAP_CANCELLED = "Отменено."
ROADMAP_NEED_TEXT = "Напишите ответ текстом или нажмите «Отмена»."
ROADMAP_XLSX_CAPTION = (
    "Дорожная карта на {label} учебный год: статусы, отметки и документы (контрольный материал п. 6.1)."
)
ROADMAP_REMIND_SOON = (
    "⏰ <b>Скоро срок</b> по дорожной карте: {due} (через {days} {days_word}).\n"
    "Пункт {number}: {content}\n"
    "Ожидаемый результат: {result}"
)
ROADMAP_REMIND_OVERDUE = (
    "🔴 <b>Срок прошёл</b> {due}: пункт {number} дорожной карты не отмечен выполненным.\n"
    "{content}\n"
    "Отметьте выполнение или измените срок."
)
BTN_ROADMAP_XLSX = "Выгрузить XLSX"
BTN_ROADMAP_PREV_YEAR = "‹ {label}"
BTN_ROADMAP_NEXT_YEAR = "{label} ›"
BTN_ROADMAP_ADD = "Добавить пункт"
BTN_ROADMAP_TO_SECTIONS = "← К разделам"
BTN_ROADMAP_TO_SECTION = "← К разделу"
BTN_ROADMAP_TO_CARD = "← К пункту"
BTN_ROADMAP_DONE = "Выполнено"
BTN_ROADMAP_REOPEN = "Вернуть в работу"
BTN_ROADMAP_ATTACH = "Прикрепить документ"
BTN_ROADMAP_ATTACH_FILE = "Прикрепить файл"
BTN_ROADMAP_FINISH = "Готово"
BTN_ROADMAP_SKIP_NOTE = "Пропустить"
BTN_ROADMAP_CANCEL = "Отмена"
BTN_ROADMAP_EDIT = "Изменить"
BTN_ROADMAP_DELETE = "Удалить"
BTN_ROADMAP_DELETE_YES = "Да, удалить"
BTN_ROADMAP_DELETE_NO = "Нет, оставить"
BTN_ROADMAP_OPEN = "Открыть пункт"
BTN_ONE_PAIR = "Одной паре или группе…"
SEGMENT_ALL_OF = "{form}: все"
SEGMENT_MENTEES_OF = "{form}: наставляемые"
SEGMENT_MENTORS_OF = "{form}: наставники"
CURATOR_MENU = (
    "<b>Меню куратора</b>\nОтчёты — кнопками ниже. Остальное — командами: /participants, /invite, /match, /pairs, "
    "/campaign, /broadcast, /materials, /roadmap (все — /help)."
)
BTN_REPORT_SUMMARY = "Сводка программы"
BTN_REPORT_CHARTS = "Графики"
BTN_REPORT_EXPORT = "Выгрузка XLSX"
