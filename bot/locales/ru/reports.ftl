summary-header = <b>Сводка программы</b> на { $date }
summary-people =
    { "" }

    <b>Участники</b>: { $total }
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

    Пары без встреч { $days }+ дн.: { $quiet }
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
