// @ts-check

/**
 * Which connected code host account reads each pipeline's repository, so that logging
 * an account out can be refused while pipelines still use it (SPEC §7). Pipelines
 * before this migration name no account.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('pipelines', table => {
    table
      .string('source_account_id')
      .nullable()
      .comment(
        'The code_host_accounts id of spec.source.accountId; null when none',
      );
    table.index(['source_account_id'], 'pipelines_source_account_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('pipelines', table => {
    table.dropIndex(['source_account_id'], 'pipelines_source_account_idx');
    table.dropColumn('source_account_id');
  });
};
