## audience: curator
destruction-act-pick =
    <b>Акт об уничтожении персональных данных</b>
    В акт войдут все записи об уничтожении данных (после отзыва согласия) за выбранный период. За какой?
btn-act-this-month = Этот месяц
btn-act-last-month = Прошлый месяц
btn-act-this-year = Этот год
destruction-act-none = С { $start } по { $end } персональные данные не уничтожались: акт за этот период не нужен.
destruction-act-ready = Акт об уничтожении персональных данных с { $start } по { $end }: записей — { $n }.
destruction-act-caption = Акт об уничтожении персональных данных с { $start } по { $end }. Впишите номер, адрес (если пуст), должности и ФИО уничтоживших данные, подпишите; храните акт 3 года.
destruction-system = Nastavnik — Telegram-бот программы наставничества «{ $org }»
destruction-carrier = файл базы данных SQLite «{ $file }» (и его журнал WAL) на компьютере (сервере) оператора
