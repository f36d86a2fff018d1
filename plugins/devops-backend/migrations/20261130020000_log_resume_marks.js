// @ts-check

/**
 * Where the output in a chunk came from, as its executor marks it (a pod container's log
 * position), so that an engine taking a run over continues a task's output after the
 * last line stored instead of from the start.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('log_chunks', table => {
    table
      .text('resume_mark')
      .nullable()
      .comment("The executor's mark of the last output line in this chunk that has one");
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('log_chunks', table => {
    table.dropColumn('resume_mark');
  });
};
