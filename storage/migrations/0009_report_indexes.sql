-- Indexes for the curator's reports (/summary, /summary charts, /export), measured with bench/bench_reports.py
-- on 10,000 participants and 200,000 answers (bench/README.md, «Summary and export on a large institution»).

-- A pair's held meetings. ReportRepo.quiet_pairs (MAX(starts_at)) and furthest_stages (the latest held) walked
-- every held meeting of the institution (meetings_due) for each pair: 3.4 s each, now one seek per pair (2–7 ms).
-- ReportRepo.accounting's «meetings held» per participant counts them from this index alone.
CREATE INDEX meetings_pair_status ON meetings(pair_id, status, starts_at);

-- A participant's campaigns: ReportRepo.accounting's «surveys answered» walked every completed recipient for each
-- participant (4.4 s over 10,000 people), now 10 ms. Also the child-key index of the ON DELETE CASCADE when a
-- participant's data is destroyed.
CREATE INDEX campaign_recipients_participant ON campaign_recipients(participant_id, completed_at);
