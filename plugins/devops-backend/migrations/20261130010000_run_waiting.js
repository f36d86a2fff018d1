// @ts-check

/**
 * Time a run spent waiting for cluster resources, which its timeout does not count
 * (SPEC §3). Stored so that an engine taking a run over keeps the same budget.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .bigInteger('waited_ms')
      .notNullable()
      .defaultTo(0)
      .comment('Milliseconds spent in status waiting, not counted by the timeout');
    table
      .dateTime('waiting_since', { useTz: true })
      .nullable()
      .comment('Start of the current waiting period, while status is waiting');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('waited_ms');
    table.dropColumn('waiting_since');
  });
};
