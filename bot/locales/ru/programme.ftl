## audience: pupil adult parent curator
# The programme's terms (bot/programme.py): roles and forms of mentoring as Р-145 names them. They are the
# curator's words and the papers' words; a participant's screen says what they mean for them instead.
role-mentee_pupil = наставляемый-обучающийся
role-mentee_teacher = наставляемый-педагог (молодой специалист)
role-mentor = наставник
form-pp = ученик – ученик
form-tt = учитель – учитель
form-sp = студент – ученик
form-ep = работодатель – ученик
form-es = работодатель – студент
form-tp = педагог – обучающийся

## audience: curator
# Where a participant is on the way in (the curator's lists).
status-invited = вход по ссылке, согласия нет
status-awaiting_parent = ждёт согласия родителя
status-consented = согласие есть, анкета не заполнена
status-survey_done = анкета заполнена

## audience: curator
# Categories of personal data a withdrawal destroys (bot/participants.py): the curator's notice and the act.
data-category-profile = учётная запись участника (идентификатор Telegram, роль, форма)
data-category-consents = записи о согласии (в т.ч. имя родителя)
data-category-answers = ответы на анкеты
data-category-questions = вопросы куратору
data-category-dialog = состояние диалога с ботом
data-category-messages = сообщения бота участнику и сообщения, где участник назван (отправленные и в очереди)
