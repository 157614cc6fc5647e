question-header =
    <i>Вопрос { $n } из { $total }</i>

    <b>{ $text }</b>
question-type-hints-single = Выберите вариант кнопкой.
question-type-hints-multi = Можно выбрать несколько, затем нажмите «Готово».
question-type-hints-scale = Выберите число кнопкой.
question-type-hints-text = Напишите ответ сообщением.
question-type-hints-number = Напишите число сообщением.
btn-back = ← Назад
btn-skip = Пропустить
btn-done = Готово
btn-all-right = Всё верно
btn-change = Изменить ответ
multi-need-more = Выберите хотя бы { $n }.
multi-too-many = Можно выбрать не больше { $n }.
survey-summary =
    <b>{ $title }</b> — проверьте ответы:

    { $lines }

    Всё верно?
survey-summary-line =
    <b>{ $n }. { $question }</b>
    { $answer }
survey-pick-to-change = Какой ответ изменить?
survey-done = Спасибо! Анкета сохранена. Куратор программы увидит её и подберёт вам пару. Меню — /menu.
survey-paused = Анкета сохранена на вопросе { $n }. Продолжить можно в любой момент: /menu → «Продолжить анкету».
survey-needs-consent = Анкету можно заполнить после согласия на обработку данных. Откройте /menu.
survey-expects-answer = Сейчас идёт анкета. { $hint }
survey-command-hint = Эта команда сейчас не работает. Ответьте на вопрос или напишите /cancel, чтобы прерваться.
survey-non-text = Здесь нужен текст или кнопка — стикеры, фото и файлы я не сохраняю.
