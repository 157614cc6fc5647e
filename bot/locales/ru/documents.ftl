## audience: curator
# The papers the bot makes for the curator (bot/documents): the pairs' and bases' workbooks, the director's
# order, the act on the destruction of personal data. Their wording is the institution's paperwork: the
# programme's terms stay, as a director signs them.
paper-page-of = Стр. &P из &N
paper-generated = Сформировано: { $at }; { $summary }
paper-description = { $org }; сформировано { $at }
paper-pairs-summary = пар: { $pairs }, групп: { $groups }, наставляемых: { $mentees }
paper-people-total = всего: { $n }
paper-kind-pair = пара
paper-kind-group = группа ({ $n })
order-title = О закреплении наставнических пар (групп)
order-appendix = Приложение к приказу
order-column-number = №
order-column-form = Форма наставничества
order-column-mentor = Наставник
order-column-mentees = Наставляемые
order-stages = встреча-знакомство, пробная встреча, встреча-планирование, совместная работа, итоговая встреча
order-r145 = распоряжением Минпросвещения России от 25.12.2019 № Р-145 «Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, осуществляющих образовательную деятельность по общеобразовательным, дополнительным общеобразовательным и программам среднего профессионального образования, в том числе с применением лучших практик обмена опытом между обучающимися»
order-heading = ПРИКАЗ
order-preamble = В соответствии с { $r145 }, { $regulation } и дорожной картой внедрения целевой модели наставничества на { $year } учебный год,
order-regulation = Положением о наставничестве, утверждённым приказом от { $date } № { $number },
order-date-line = от { $date } № { $number }
order-date-blank = «___» __________ { $year } г.
order-commands = ПРИКАЗЫВАЮ:
order-point-pairs = 1. Закрепить наставнические пары (группы) согласно приложению к настоящему приказу.
order-point-stages = 2. Наставникам организовать работу пар (групп) по этапам: { $stages }.
order-point-curator = 3. Куратору ({ $curator }) обеспечить мониторинг работы наставнических пар (групп) и информирование участников о закреплённых парах (группах).
order-point-control = 4. Контроль исполнения приказа оставляю за собой.
order-director = Директор	{ $blank }	{ $director }
order-acquainted = С приказом ознакомлены:
order-appendix-heading = Наставнические пары (группы) на { $year } учебный год
order-property-title = Приказ «{ $title }»
order-property-comments = Проект приказа, подготовлен ботом Nastavnik
order-property-keywords = наставничество; целевая модель наставничества
order-property-category = Приказ
