## One programme on two messengers: how a screen names a messenger, and a link given for each messenger that runs.

## audience: pupil adult parent curator
messenger-name-telegram = Telegram
messenger-name-max = MAX
start-link-on = { $messenger }: { $link }
messenger-mark = { " " }· { $messenger }

## audience: curator
messenger-count = в { $messenger }: { $n }
participants-by-messenger = { "" } ({ $counts })
