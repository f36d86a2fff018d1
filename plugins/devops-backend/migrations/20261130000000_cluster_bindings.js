// @ts-check

/**
 * Kubernetes clusters bound to DevOps: where pipelines' task pods run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('cluster_bindings', table => {
    table.comment('Clusters of the portal bound to DevOps, with their scope and health');
    table
      .string('name', 253)
      .primary()
      .comment("The cluster's name in the portal's Kubernetes configuration");
    table.string('namespace', 63).notNullable().comment('Where task pods are created');
    table
      .text('scope')
      .notNullable()
      .comment('JSON array of catalog group refs it serves; empty = the whole portal');
    table
      .string('health', 32)
      .notNullable()
      .defaultTo('unknown')
      .comment('unknown | healthy | unreachable | unauthorized | namespaceMissing | removed');
    table.text('health_message').nullable().comment('What the last check saw, for the user');
    table.dateTime('checked_at', { useTz: true }).nullable().comment('When health was last set');
    table.string('created_by').notNullable().comment('User entity ref');
    table.dateTime('created_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cluster_bindings');
};
