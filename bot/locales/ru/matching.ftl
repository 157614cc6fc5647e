## audience: curator
# The matcher's words (bot/matching): why a pair was proposed, why someone is left without a pair, and what is
# wrong with the curator's pinned pairs. They show in the /match draft and in the pairs' workbook.
match-reason-mutual-same = взаимный выбор №{ $rank }
match-reason-mutual = взаимный выбор (№{ $mentee_rank } у наставляемого, №{ $mentor_rank } у наставника)
match-reason-mentee-choice = выбор наставляемого: №{ $rank }
match-reason-mentor-choice = выбор наставника: №{ $rank }
match-reason-request = совпадает запрос: { $topic }
match-reason-interests = общие интересы: { $names }
match-reason-club = один кружок: { $club }
match-reason-any-age = наставник готов работать с любым возрастом
match-reason-age = возраст подходит наставнику ({ $ages })
match-reason-days = общие свободные дни: { $names }
match-ages-10_12 = 10–12 лет
match-ages-13_15 = 13–15 лет
match-ages-16_17 = 16–17 лет
match-ages-adult = взрослые
match-unmatched-no-mentors = нет наставников этой формы
match-unmatched-mentors-full = все наставники заняты (места закончились)
match-unmatched-all-excluded = все возможные пары исключены куратором
match-unmatched-only-self-mentor = единственный наставник этой формы — сам участник
match-unmatched-no-mentees = нет наставляемых этой формы
match-unmatched-only-self-mentee = единственный наставляемый этой формы — сам участник
match-unmatched-free-places = остались свободные места: { $free }
match-error-duplicate-mentee = В списке наставляемых id { $id } встречается { $count } { $count ->
        [one] раз
        [few] раза
       *[many] раз
    }.
match-error-duplicate-mentor = В списке наставников id { $id } встречается { $count } { $count ->
        [one] раз
        [few] раза
       *[many] раз
    }.
match-error-pin-no-mentee = Закреплённая пара { $mentee }–{ $mentor }: нет наставляемого с id { $mentee }.
match-error-pin-no-mentor = Закреплённая пара { $mentee }–{ $mentor }: нет наставника с id { $mentor }.
match-error-pin-self = Закреплённая пара { $mentee }–{ $mentor }: участник не может быть наставником сам себе.
match-error-pin-forms = Закреплённая пара { $mentee }–{ $mentor }: формы разные — у наставляемого ({ $mentee_name }) «{ $mentee_form }», у наставника ({ $mentor_name }) «{ $mentor_form }».
match-error-pin-excluded = Закреплённая пара { $mentee }–{ $mentor } одновременно исключена куратором.
match-error-pin-twice = У наставляемого ({ $name }, id { $mentee }) две закреплённые пары: с наставниками id { $first } и id { $second }.
match-error-pin-capacity = Закреплённых пар у наставника ({ $name }, id { $mentor }): { $count }, а мест: { $capacity }.
