-- Where each messenger's update stream was read to (issue 15). MAX's long polling gives only the newest update
-- to a poll without a marker, so the marker after the last fully handled batch is kept here: a restart goes on
-- from it, and a batch that was being handled when the process died is read again.
CREATE TABLE update_markers (
    messenger TEXT    PRIMARY KEY,
    marker    INTEGER NOT NULL
);
