// @ts-check

/**
 * Code host accounts: each user's connection to GitHub or GitLab (the OAuth application
 * they registered for this portal, and the tokens its authorization gave), and the
 * authorizations in flight, each bound to the user who started it and used once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('code_host_accounts', table => {
    table.comment(
      'A user connection to GitHub or GitLab through an OAuth application',
    );
    table.string('id').primary();
    table.string('user_ref').notNullable();
    table.string('provider', 16).notNullable().comment('github or gitlab');
    table
      .string('base_url')
      .notNullable()
      .comment('The web address of the host, e.g. https://github.com');
    table.string('client_id').notNullable();
    table
      .text('secrets')
      .notNullable()
      .comment(
        'Client secret and tokens, sealed with the configured encryption key',
      );
    table
      .string('login')
      .nullable()
      .comment('The account name on the host once connected');
    table.dateTime('token_expires_at', { useTz: true }).nullable();
    table.dateTime('created_at', { useTz: true }).notNullable();
    table.dateTime('updated_at', { useTz: true }).notNullable();
    table.unique(['user_ref', 'provider'], {
      indexName: 'code_host_accounts_user_provider_idx',
    });
  });

  await knex.schema.createTable('oauth_authorizations', table => {
    table.comment('Authorizations sent to a code host and not yet come back');
    table
      .string('state')
      .primary()
      .comment('SHA-256 of the state sent to the host');
    table
      .string('account_id')
      .notNullable()
      .references('id')
      .inTable('code_host_accounts')
      .onDelete('CASCADE');
    table.string('user_ref').notNullable();
    table.text('code_verifier').notNullable().comment('PKCE verifier, sealed');
    table.dateTime('expires_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('oauth_authorizations');
  await knex.schema.dropTable('code_host_accounts');
};
