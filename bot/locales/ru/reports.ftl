## audience: curator
summary-header = <b>Сводка программы</b> на { $date }
summary-people =
    { "" }

    <b>Участники</b>: { $total }{ $messengers }
    { $by_role }
    Согласия: { $consented } из { $total }; ждут родителя: { $waiting }
summary-role-line = { $role }: { $n }
summary-role-unconsented = { "" } (без согласия: { $n })
summary-forms =
    { "" }

    <b>Пары и группы</b>
    { $lines }
summary-form-line = { $form }: пар { $pairs }, групп { $groups } (наставляемых { $mentees })
summary-meetings =
    { "" }

    <b>Встречи</b>: состоялось { $held }, назначено { $planned }, не состоялось { $missed }
    { $lines }
summary-stage-line = { $stage }: { $held } / { $planned } / { $missed }
summary-campaigns =
    { "" }

    <b>Опросы</b>
    { $lines }
summary-campaign-line = «{ $title }»: ответили { $done } из { $total }
summary-satisfaction =
    { "" }

    <b>Качество по периодам мониторинга</b>
    { $lines }
summary-period = <i>{ $period }</i> (опросов: { $campaigns })
summary-growth =
    { "" }

    <b>Рост: начало → конец</b>
    { $lines }
summary-item = { $label }: { $mean } ({ $n })
summary-growth-item = { $label }: { $entry } → { $end } ({ $n })
summary-hidden = мало ответов
summary-quiet =
    { "" }

    Пары без встреч { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    } и больше: { $quiet }
summary-top =
    { "" }

    <b>Лучшие наставники</b> (номинации; средняя оценка)
    { $lines }
summary-top-line = { $n }. { $name }: { $nominations }; { $mean }
summary-none = —
summary-charts-hint =
    { "" }

    Графики — /summary charts, все данные — /export.
chart-stages = Пары по этапам
chart-satisfaction = Качество программы: средние оценки
chart-growth = Самооценка: начало → конец
export-caption = Выгрузка данных программы: наставляемые, наставники, пары, встречи, ответы, мониторинг, учёт.
municipal-columns-0 = Показатель
municipal-columns-1 = Количество
municipal-columns-2 = Среднее / доля, %
municipal-columns-3 = Из (ответов, контингент)
municipal-lines-mentees = Наставляемых (с согласием)
municipal-lines-mentors = Наставников (с согласием)
municipal-lines-pupils_share = Доля обучающихся, вовлечённых в наставничество, %
municipal-lines-teachers_share = Доля педагогов, вовлечённых в наставничество, %
municipal-lines-satisfaction = Средняя удовлетворённость (1–10), { $period }
municipal-lines-form_pairs = { $form }: пар
municipal-lines-form_groups = { $form }: групп
municipal-lines-form_mentees = { $form }: наставляемых
municipal-lines-pairs = Пар и групп
summary-period-month = { $month ->
     [1] январь
     [2] февраль
     [3] март
     [4] апрель
     [5] май
     [6] июнь
     [7] июль
     [8] август
     [9] сентябрь
     [10] октябрь
     [11] ноябрь
    *[12] декабрь
    } { $year }

## audience: curator
# The /export workbook (bot/reports/summary.py): sheets, columns, notes and the check-ins as questions.
export-sheet-mentees = Наставляемые
export-sheet-mentors = Наставники
export-sheet-pairs = Пары и группы
export-sheet-meetings = Встречи
export-sheet-answers = Ответы
export-sheet-monitoring = Мониторинг
export-sheet-accounting = Персонифицированный учёт
export-sheet-municipal = Для муниципального центра
export-column-pseudonym = Псевдоним
export-column-name = ФИО
export-column-role = Роль
export-column-form = Форма
export-column-joined = Включён
export-column-consent = Согласие
export-column-survey-done = Анкета заполнена
export-column-pair-number = Пара/группа №
export-column-meetings-held = Встреч состоялось
export-column-surveys-done = Анкет заполнено
export-column-number = №
export-column-mentor = Наставник
export-column-mentees = Наставляемые
export-column-confirmed = Закреплена
export-column-mentee-count = Наставляемых
export-column-pair = Пара №
export-column-stage = Этап
export-column-when = Когда
export-column-place = Место
export-column-topic = Тема
export-column-status = Статус
export-column-checkins = Отметок
export-column-usefulness = Польза (1–5)
export-column-questionnaire = Анкета
export-column-question = Вопрос
export-column-answer = Ответ
export-column-indicator = Показатель
export-column-item = Пункт
export-column-mean = Среднее
export-column-answers = Ответов
export-note-answers = Свободные ответы участников — только для куратора.
export-note-monitoring = Средние по группам меньше { $n } { $n ->
        [one] человека
        [few] человек
       *[many] человек
    } не показываются.
export-note-accounting = Пункт 5.1 дорожной карты
export-note-municipal = Обобщённые сведения о реализации ЦМН (пункт 1.2 дорожной карты).
export-meeting-status-planned = назначена
export-meeting-status-held = состоялась
export-meeting-status-not_held = не состоялась
export-meeting-status-cancelled = отменена
export-stage-none = ещё не встречались
export-checkin-title = Отметка о встрече: { $stage }, { $when }, пара №{ $pair }
export-checkin-held = Встреча состоялась?
export-checkin-useful = Насколько полезной была встреча? (1–5)
export-checkin-useful-value = { $n } из 5
export-checkin-what = Что сделали на встрече?
export-checkin-why = Почему встреча не состоялась?
export-fit-title = Подходит ли пара №{ $pair }
export-fit-question = Подходит ли пара после первой встречи?
export-fit-yes = Да, подходит
export-fit-unsure = Пока не понятно
export-fit-no = Не подходит
export-monitoring-quality = Качество, { $period }
export-monitoring-growth-entry = Рост: начало
export-monitoring-growth-end = Рост: конец
export-title = Выгрузка данных программы наставничества
export-empty-sheet = Нет данных
export-yes = да
export-no = нет
export-rows = строк: { $n }
chart-hidden = мало ответов
chart-empty = нет данных
chart-legend-entry = В начале
chart-legend-end = В конце
