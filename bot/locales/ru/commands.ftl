## Command descriptions in Telegram's command menu: every private chat sees the first five; the curator's
## chat sees all of them.

## audience: pupil adult parent curator
cmd-menu = Моё меню
cmd-help = Помощь
cmd-cancel = Отменить текущее действие
cmd-forget = Отозвать согласие и удалить данные
cmd-ask = Вопрос куратору

## audience: curator
cmd-invite = Создать ссылку-приглашение
cmd-invites = Действующие ссылки
cmd-participants = Участники программы
cmd-consent_paper = Отметить бумажное согласие
cmd-curators = Кураторы программы
cmd-destruction_act = Акт об уничтожении персональных данных (DOCX)
cmd-groupmeeting = Групповая встреча и присутствие
cmd-preferences = Анкета предпочтений
cmd-match = Подбор пар и групп
cmd-pairs = Пары и группы
cmd-bases = Базы наставляемых и наставников (XLSX)
cmd-broadcast = Рассылка участникам
cmd-materials = Материалы программы
cmd-campaign = Опрос (мониторинг)
cmd-summary = Сводка программы
cmd-export = Выгрузка XLSX
cmd-surveys = Открытые опросы: кто не ответил, закрыть
cmd-roadmap = Дорожная карта
help-curator-extra =
    { "" }

    <b>Команды куратора</b>
    /invite — создать ссылку-приглашение
    /invites — действующие ссылки (можно отозвать)
    /participants — участники, согласия, анкеты
    /consent_paper — отметить бумажное согласие
    /curators — кураторы программы (добавить, убрать)
    /destruction_act — акт об уничтожении персональных данных за период (DOCX)
    /groupmeeting — групповая встреча кандидатов, отметка присутствия
    /preferences — анкета предпочтений после встречи
    /match — подбор пар и групп, утверждение
    /pairs — пары и группы, расформирование
    /bases — базы наставляемых и наставников (XLSX)
    /broadcast — рассылка участникам
    /materials — материалы программы (загрузить, удалить)
    /campaign — запустить опрос (мониторинг качества, самооценка, итоговая анкета)
    /summary — сводка программы; /summary charts — графики
    /export — выгрузка всех данных в XLSX и сводка для муниципального центра
    /surveys — открытые опросы: кто не ответил, напомнить им, закрыть опрос
    /roadmap — дорожная карта внедрения ЦМН
