## audience: curator
btn-archive = Архив { $year }
archive-pairs-list =
    <b>Архив { $year }: пары и группы</b> ({ $count }), работали до { $date }
    { $lines }
archive-pairs-empty = В архиве { $year } нет пар и групп, работавших до конца года.
archive-pair-card =
    <b>{ $kind } №{ $id }</b> ({ $form }), архив { $year }
    Наставник: { $mentor }
    Наставляемые: { $mentees }
    Работала: { $start } – { $end }

    <b>Участие в следующем году</b>
    { $renewals }
archive-renewal-line = { $name }: { $state }
archive-renewal-states-final = да (итоговая анкета)
archive-renewal-states-button = да (ответ в боте)
archive-renewal-states-curator = да (отметил куратор)
archive-renewal-states-none = не подтверждено — в подборе не участвует
btn-archive-renew = ↩ { $name } участвует в новом году
archive-summary-header = <b>Сводка программы { $year }</b> (архив; год завершён { $date })
btn-archive-summary = Сводка { $year } (архив)
btn-archive-export = Выгрузка { $year } (архив)
archive-export-caption = Выгрузка данных программы { $year } (архив): пары, встречи, ответы и мониторинг года.
archive-unknown = Архивного года «{ $year }» нет. В архиве: { $years }.
