## audience: curator
ask-to-curator =
    <b>Вопрос от участника:</b> { $who }

    { $text }
btn-reply = Ответить
answer-prompt = Кто спрашивает: { $who }. Напишите ответ одним сообщением.
answer-sent = Ответ отправлен.
answer-already = На этот вопрос уже ответили.
materials-curator =
    <b>Материалы программы</b> ({ $count })
    { $lines }
material-line =
    { "" }
    { $n }. { $title } — { $audience }
material-audiences-all = всем
material-audiences-mentors = наставникам
material-audiences-mentees = наставляемым
btn-add-material = Добавить документ
btn-delete-material = Удалить №{ $n }
material-send-file = Пришлите документ (файлом).
material-need-file = Нужен документ файлом (PDF, DOCX…), не фото и не текст.
material-ask-title = Как назвать документ для участников? Например: «Положение о наставничестве».
material-bad-title = Название — от 2 до 100 символов.
material-ask-audience = Кому он нужен?
material-added = Документ «{ $title }» добавлен ({ $audience }).
material-deleted = Документ удалён.
material-delete-confirm = Удалить документ «{ $title }» ({ $audience })? Участники больше не смогут его открыть.
btn-material-delete-yes = Да, удалить
btn-material-delete-no = Отмена
broadcast-ask = Напишите сообщение для рассылки: текст, или фото / документ с подписью. Оформление жирным и курсивом сохранится.
broadcast-bad = Рассылка — текст до 3500 символов, или фото / документ с подписью до 1000 символов.
broadcast-pick-audience = Кому отправить?
broadcast-audiences-all = Всем участникам
broadcast-audiences-mentors = Наставникам
broadcast-audiences-mentees = Наставляемым
broadcast-audiences-unfinished = Не заполнившим анкету
broadcast-audiences-awaiting_parent = Ждущим согласия родителя
btn-audience-form = Форме наставничества…
btn-audience-club = Объединению…
broadcast-preview = Получателей: <b>{ $count }</b> ({ $audience }). Так будет выглядеть сообщение — ниже. Отправить?
broadcast-nobody = В этой группе никого нет — выберите другую.
btn-broadcast-send = Отправить
broadcast-queued = Рассылка поставлена в очередь: { $count } { $count ->
        [one] получатель
        [few] получателя
       *[many] получателей
    }. Отчёт о доставке придёт, когда она закончится.
broadcast-quiet =
    { "" }
    Сейчас тихие часы: сообщение уйдёт { $when }.
broadcast-report =
    <b>Отчёт о рассылке №{ $id }</b>
    Доставлено: { $sent }
    Заблокировали бота: { $blocked }
    Не доставлено: { $failed }
