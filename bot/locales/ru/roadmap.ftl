## audience: curator
roadmap-home =
    <b>Дорожная карта внедрения ЦМН</b>
    Учебный год { $label }, состояние на { $today }

    { $lines }

    Всего пунктов: { $total }; выполнено { $done }, выполняется { $in_progress }, просрочено { $overdue }, запланировано { $planned }.
    Выберите раздел.
roadmap-home-line =
    <b>{ $number }. { $title }</b>
    { "" }    выполнено { $done } из { $total } · выполняется { $in_progress } · просрочено { $overdue }
roadmap-section =
    <b>Раздел { $number }. { $title }</b>
    Учебный год { $label }

    { $lines }

    ✅ выполнено · 🟡 выполняется · 🔴 просрочено · ⚪ запланировано
    Выберите пункт.
roadmap-section-line = { $mark } <b>{ $number }</b> { $content } — <i>{ $deadline }</i>
roadmap-section-empty = В разделе пока нет пунктов.
roadmap-card =
    <b>Пункт { $number }</b> · раздел { $section }
    { $content }

    <b>Срок:</b> { $deadline }
    <b>Статус:</b> { $mark } { $status }
    <b>Ожидаемый результат:</b> { $result }
    <b>Ответственные:</b> { $responsible }
    <b>Отметка о выполнении:</b> { $done }
    <b>Примечание:</b> { $note }
    <b>Документы:</b> { $documents }

    <i>Учебный год { $label }</i>
roadmap-not-done = —
roadmap-reopened-mark = снята (была { $day }), пункт возвращён в работу
roadmap-no-note = —
roadmap-no-documents = нет
roadmap-document-line =
    { "" }
    • { $name } (прикреплён { $day })
roadmap-more-documents =
    { "" }
    …и ещё { $n }
roadmap-item-gone = Этого пункта больше нет в дорожной карте. Откройте /roadmap.
roadmap-ask-note =
    Пункт { $number }: отмечаю выполненным.
    Напишите примечание (до { $limit } { $limit ->
        [one] символа
        [few] символов
       *[many] символов
    }) — например, «Приказ № 45 от 28.08» — или нажмите «Пропустить».
roadmap-note-bad = Примечание — текст до { $limit } { $limit ->
        [one] символа
        [few] символов
       *[many] символов
    }. Напишите его или нажмите «Пропустить».
roadmap-marked-done =
    ✅ Пункт { $number } отмечен выполненным ({ $day }).
    Прикрепите файл — подписанный приказ, протокол — или нажмите «Готово».
roadmap-ask-file = Пришлите файл для пункта { $number } — подписанный приказ, протокол: документом (PDF, DOCX…) или фото скана.
roadmap-need-file = Нужен файл: документ (PDF, DOCX…) или фото скана. Если файла нет, нажмите кнопку ниже.
roadmap-unnamed-file = документ
roadmap-photo-name = фото от { $day }.jpg
roadmap-file-attached =
    📎 Документ «{ $name }» прикреплён к пункту { $number }.

    { "" }
roadmap-document-caption = Пункт { $number } дорожной карты, { $label } учебный год
roadmap-reopened = Пункт возвращён в работу.
roadmap-nothing-to-reopen = Пункт и так в работе.
roadmap-edit-pick = Пункт { $number }: что изменить?
roadmap-field-buttons-content = Содержание
roadmap-field-buttons-deadline = Срок
roadmap-field-buttons-result = Ожидаемый результат
roadmap-field-buttons-responsible = Ответственные
roadmap-prompts-content = Напишите содержание пункта — что нужно сделать.
roadmap-prompts-deadline = Напишите срок без года — он повторяется каждый учебный год: «до 15.10», «октябрь», «01.09–15.09», «декабрь и май», «ежеквартально», «в течение года». Подготовка летом до начала года: «август (до начала учебного года)».
roadmap-prompts-result = Напишите ожидаемый результат — обычно документ: «Приказ директора», «Протокол», «Отчёт».
roadmap-prompts-responsible = Кто ответственный? Например: «Куратор» или «Администрация, куратор».
roadmap-edit-ask =
    Пункт { $number } — { $field }. Сейчас:
    <i>{ $current }</i>

    { $prompt }
roadmap-try-again =
    { $error }

    Попробуйте ещё раз или нажмите «Отмена».
roadmap-item-saved =
    ✅ Пункт { $number } сохранён.

    { "" }
roadmap-delete-confirm =
    Удалить пункт { $number } «{ $content }» из дорожной карты?
    Отметки о выполнении и прикреплённые документы пункта тоже будут удалены.
roadmap-deleted =
    🗑 Пункт { $number } удалён.

    { "" }
roadmap-add-ask-number =
    Новый пункт в разделе «{ $section }».
    Напишите его номер — например, «{ $example }».
roadmap-number-taken = Пункт { $number } уже есть в дорожной карте. Напишите другой номер — например, «{ $example }».
roadmap-add-ask-content = Пункт { $number }. Напишите содержание — что нужно сделать.
roadmap-deadline-understood =
    Срок: { $deadline }.

    { "" }
roadmap-item-added =
    ✅ Пункт { $number } добавлен.

    { "" }
roadmap-cancelled = Отменено.
roadmap-need-text = Напишите ответ текстом или нажмите «Отмена».
roadmap-xlsx-caption = Дорожная карта на { $label } учебный год: статусы, отметки и документы (контрольный материал п. 6.1).
roadmap-remind-soon =
    ⏰ <b>Скоро срок</b> по дорожной карте: { $due } (через { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    }).
    Пункт { $number }: { $content }
    Ожидаемый результат: { $result }
roadmap-remind-overdue =
    🔴 <b>Срок прошёл</b> { $due }: пункт { $number } дорожной карты не отмечен выполненным.
    { $content }
    Отметьте выполнение или измените срок.
btn-roadmap-xlsx = Выгрузить XLSX
btn-roadmap-prev-year = ‹ { $label }
btn-roadmap-next-year = { $label } ›
btn-roadmap-add = Добавить пункт
btn-roadmap-to-sections = ← К разделам
btn-roadmap-to-section = ← К разделу
btn-roadmap-to-card = ← К пункту
btn-roadmap-done = Выполнено
btn-roadmap-reopen = Вернуть в работу
btn-roadmap-attach = Прикрепить документ
btn-roadmap-attach-file = Прикрепить файл
btn-roadmap-finish = Готово
btn-roadmap-skip-note = Пропустить
btn-roadmap-cancel = Отмена
btn-roadmap-edit = Изменить
btn-roadmap-delete = Удалить
btn-roadmap-delete-yes = Да, удалить
btn-roadmap-delete-no = Нет, оставить
btn-roadmap-open = Открыть пункт
btn-one-pair = Одной паре или группе…
segment-all-of = { $form }: все
segment-mentees-of = { $form }: наставляемые
segment-mentors-of = { $form }: наставники
curator-menu =
    <b>Меню куратора</b>
    Отчёты — кнопками ниже. Остальное — командами: /participants, /invite, /match, /pairs, /campaign, /broadcast, /materials, /roadmap (все — /help).
btn-report-summary = Сводка программы
btn-report-charts = Графики
btn-report-export = Выгрузка XLSX
roadmap-status-done = выполнено
roadmap-status-in_progress = выполняется
roadmap-status-overdue = просрочено
roadmap-status-planned = запланировано
roadmap-deadline-and = { $first } и { $last }
roadmap-deadline-by = до { $day }
roadmap-deadline-month = { $month } (до { $day })
roadmap-deadline-period = в течение всего периода реализации (до { $day })
roadmap-deadline-year = в течение года (до { $day })
roadmap-deadline-quarterly = ежеквартально: { $days }
roadmap-spec-by = до { $day }
roadmap-spec-period = в течение всего периода реализации
roadmap-spec-year = в течение года
roadmap-spec-quarterly = ежеквартально
roadmap-spec-before-start = { $deadline } (до начала учебного года)
roadmap-error-help = Не понял срок. Напишите, например: «до 15.10», «октябрь», «01.09–15.09», «декабрь и май», «ежеквартально» или «в течение года».
roadmap-error-no-such-date = Такой даты нет в календаре: { $day }. Проверьте число и месяц.
roadmap-error-year-not-expected = Сроки дорожной карты пишутся без года — они повторяются каждый учебный год. Напишите, например, «до 15.10» или «октябрь».
roadmap-error-out-of-year = { $what } не входит в { $label } учебный год (он длится с 01.09.{ $first } по 31.08.{ $last }).
roadmap-error-too-long = Срок не укладывается в один учебный год: { $what }. Подготовка до начала года и работа в самом году — это разные пункты: разбейте срок на два.
roadmap-error-backwards = Начало срока позже конца: { $what }. В учебном году сентябрь–декабрь идут раньше января–августа; напишите, например, «01.09–15.09» или «с 01.09 по 31.05».
roadmap-error-before-start-summer = «До начала учебного года» подходит только к срокам с января по август.
roadmap-error-before-start-conflict = { $what } — это уже после начала учебного года, а не «до начала учебного года» ({ $year }).
roadmap-error-month-repeats = Месяц повторяется. Напишите, например, «декабрь и май».
roadmap-xlsx-sheet = Дорожная карта
roadmap-xlsx-summary-sheet = Сводка
roadmap-xlsx-column-number = №
roadmap-xlsx-column-content = Содержание
roadmap-xlsx-column-deadline = Сроки
roadmap-xlsx-column-result = Ожидаемый результат
roadmap-xlsx-column-responsible = Ответственные
roadmap-xlsx-column-status = Статус
roadmap-xlsx-column-done = Отметка о выполнении
roadmap-xlsx-column-note = Примечание
roadmap-xlsx-column-documents = Документы
roadmap-xlsx-column-section = Раздел
roadmap-xlsx-column-total = Всего
roadmap-xlsx-title = { $title } на { $label } учебный год
roadmap-xlsx-summary-title = Сводка: { $title }
roadmap-xlsx-state = Учебный год { $label }; состояние на { $today }
roadmap-xlsx-items = пунктов: { $total }; { $summary }
roadmap-xlsx-count = { $status }: { $n }
roadmap-xlsx-total = Итого
roadmap-xlsx-reopened = Отметка о выполнении от { $day } снята, пункт возвращён в работу.
roadmap-error-number = Номер пункта «{ $number }» не подходит: нужен номер раздела и пункта через точку, например «4.7» или «6.1.2» (числа от 1 до 99).
roadmap-error-no-responsible = Укажите ответственных, например «Куратор» или «Администрация, куратор».
roadmap-error-responsible-text = Ответственные — это строки, например «Куратор».
roadmap-error-responsible-long = Слишком длинное имя ответственного: не больше { $limit } { $limit ->
        [one] символа
       *[other] символов
    }.
roadmap-error-responsible-many = Слишком много ответственных: не больше { $limit }.
roadmap-error-empty = { $field }: не заполнено.
roadmap-error-not-text = { $field }: нужен текст.
roadmap-error-too-long-text = { $field }: слишком длинно ({ $n } { $n ->
        [one] символ
        [few] символа
       *[many] символов
    }, можно до { $limit }).
roadmap-error-wrong-section = Пункт { $number } не из раздела { $section }: номер пункта начинается с номера раздела.
roadmap-error-deadline = Срок: { $error }.
