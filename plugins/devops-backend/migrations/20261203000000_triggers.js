// @ts-check

/**
 * What starts pipelines by themselves: an index of each pipeline's trigger rules (its
 * repository for code host events, its schedule with the next fire time), and the
 * activity of those triggers, which is also the ledger that makes a fire time or a
 * delivery start a pipeline at most once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pipeline_triggers', table => {
    table.comment(
      'The trigger rules of each pipeline, indexed for the timer and the event matcher',
    );
    table
      .string('pipeline_id')
      .primary()
      .references('id')
      .inTable('pipelines')
      .onDelete('CASCADE');
    table
      .string('repository_key')
      .nullable()
      .comment(
        'Normalised repository (host/path) of a pipeline with event triggers',
      );
    table
      .text('events')
      .nullable()
      .comment('JSON {push, merge, tag}; null when none is selected');
    table
      .text('schedule')
      .nullable()
      .comment('JSON periodic rule; null when there is none');
    table
      .dateTime('next_fire_at', { useTz: true })
      .nullable()
      .comment('The next fire time of the schedule, or the oldest one missed');
    table
      .string('fire_zone')
      .nullable()
      .comment('Time zone next_fire_at was computed in');
    table.index(['next_fire_at'], 'pipeline_triggers_next_fire_idx');
    table.index(['repository_key'], 'pipeline_triggers_repository_idx');
  });

  await knex.schema.createTable('trigger_activity', table => {
    table.comment(
      'Fire times and code host deliveries that concerned a pipeline, and what they did',
    );
    table.increments('id').primary();
    table
      .string('pipeline_id')
      .notNullable()
      .references('id')
      .inTable('pipelines')
      .onDelete('CASCADE');
    table.dateTime('occurred_at', { useTz: true }).notNullable();
    table
      .string('source', 16)
      .notNullable()
      .comment('schedule, github or gitlab');
    table
      .string('dedup_key')
      .nullable()
      .comment(
        'Fire time or delivery id; unique per pipeline, null on duplicate records',
      );
    table
      .text('summary')
      .notNullable()
      .comment('What happened, e.g. "push a6a16470 to main"');
    table
      .string('outcome', 16)
      .notNullable()
      .comment('started, skipped or duplicate');
    table.text('reason').nullable().comment('Why no run was started');
    table.string('run_id').nullable().comment('The run it started');
    table.unique(['pipeline_id', 'dedup_key']);
    table.index(['pipeline_id', 'id'], 'trigger_activity_pipeline_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('trigger_activity');
  await knex.schema.dropTable('pipeline_triggers');
};
