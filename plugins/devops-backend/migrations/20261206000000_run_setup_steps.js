// @ts-check

/**
 * The steps every run takes before its first stage, initialisation and the source
 * checkout (SPEC §3), each with the status and times the engine records, as tasks have.
 * The checkout's lines are keyed by the step name in `log_chunks.task_run_id` (task run
 * ids are UUIDs, so the two never meet); initialisation's are the run's own lines.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('run_steps', table => {
    table.comment('Set-up steps of a run, before its first stage');
    table
      .string('run_id')
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table
      .string('step', 16)
      .notNullable()
      .comment('initialisation or checkout');
    table.string('status', 16).notNullable();
    table.dateTime('started_at', { useTz: true }).nullable();
    table.dateTime('finished_at', { useTz: true }).nullable();
    table.text('message').nullable().comment('Why the step failed');
    table.primary(['run_id', 'step']);
  });

  // Runs from before: one initialisation step holds all their own lines (the checkout's
  // too), timed as the run page used to show it: from the run's start to its first task.
  const taskStarted =
    'EXISTS (SELECT 1 FROM task_runs t WHERE t.run_id = r.id AND t.started_at IS NOT NULL)';
  await knex.raw(`
    INSERT INTO run_steps (run_id, step, status, started_at, finished_at)
    SELECT r.id, 'initialisation',
      CASE
        WHEN ${taskStarted} THEN 'succeeded'
        WHEN r.status = 'queued' THEN 'queued'
        WHEN r.started_at IS NULL THEN 'skipped'
        WHEN r.status = 'waiting' THEN 'running'
        ELSE r.status
      END,
      r.started_at,
      CASE WHEN r.started_at IS NOT NULL THEN COALESCE(
        (SELECT MIN(t.started_at) FROM task_runs t WHERE t.run_id = r.id),
        r.finished_at
      ) END
    FROM runs r`);
  // Runs that have not reached their first task yet take the checkout step as new ones do.
  await knex.raw(`
    INSERT INTO run_steps (run_id, step, status)
    SELECT r.id, 'checkout', 'queued'
    FROM runs r
    WHERE r.status IN ('queued', 'running', 'waiting') AND NOT ${taskStarted}`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('run_steps');
};
