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
