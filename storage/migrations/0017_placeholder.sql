-- Placeholder so that 0018 applies on the curators branch alone; the integrator drops this file at merge.
SELECT 1;
