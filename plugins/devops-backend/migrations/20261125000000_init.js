// @ts-check

/**
 * Pipelines, their runs, the runs' task states and logs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pipelines', table => {
    table.comment('Pipeline definitions: the document plus its status');
    table.string('id').primary().comment('UUID');
    table.string('name', 63).notNullable().comment('Slug, unique per entity');
    table.text('title').nullable().comment('Display name, any text');
    table.string('entity_ref').notNullable().comment('Catalog entity = project');
    table.string('created_by').notNullable().comment('User entity ref');
    table.dateTime('created_at', { useTz: true }).notNullable();
    table.dateTime('updated_at', { useTz: true }).notNullable();
    table.boolean('active').notNullable().defaultTo(true);
    table.text('spec').notNullable().comment('JSON spec, secret values removed');
    table.text('secrets').nullable().comment('Encrypted JSON of secret parameter values');
    table.integer('next_build_id').notNullable().defaultTo(1).comment('BUILD_ID of the next run');
    table.integer('version').notNullable().defaultTo(1).comment('Optimistic concurrency');
    table.unique(['entity_ref', 'name']);
    table.index(['created_at'], 'pipelines_created_at_idx');
  });

  await knex.schema.createTable('runs', table => {
    table.comment('Executions of pipelines, queued, claimed and driven by an engine');
    table.string('id').primary().comment('UUID');
    table
      .string('pipeline_id')
      .notNullable()
      .references('id')
      .inTable('pipelines')
      .onDelete('CASCADE');
    table.integer('build_id').notNullable().comment('Per-pipeline run number');
    table.string('pipeline_name', 63).notNullable().comment('Pipeline name at run time');
    table.string('status', 16).notNullable();
    table.text('trigger').notNullable().comment('JSON: type, user, event, rerunOf');
    table.text('spec').notNullable().comment('JSON snapshot of the pipeline, no secret values');
    table.text('secrets').nullable().comment('Encrypted JSON of secret values at run time');
    table.text('params').nullable().comment('JSON of manual-run parameters');
    table.string('commit_sha', 64).nullable().comment('Resolved once when the run starts');
    table.string('branch').nullable();
    table.dateTime('queued_at', { useTz: true }).notNullable();
    table.dateTime('started_at', { useTz: true }).nullable();
    table.dateTime('finished_at', { useTz: true }).nullable();
    table.string('claimed_by').nullable().comment('Engine driving the run');
    table.dateTime('heartbeat_at', { useTz: true }).nullable();
    table.boolean('stop_requested').notNullable().defaultTo(false);
    table.text('message').nullable().comment('Why the run ended as it did');
    table.unique(['pipeline_id', 'build_id']);
    table.index(['status', 'queued_at'], 'runs_status_queued_idx');
  });

  await knex.schema.createTable('task_runs', table => {
    table.comment('State of each task of a run');
    table.string('id').primary().comment('UUID');
    table
      .string('run_id')
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('stage_index').notNullable();
    table.integer('task_index').notNullable();
    table.string('status', 16).notNullable();
    table.integer('attempt').notNullable().defaultTo(0);
    table.dateTime('started_at', { useTz: true }).nullable();
    table.dateTime('finished_at', { useTz: true }).nullable();
    table.integer('exit_code').nullable();
    table.text('message').nullable();
    table.text('outputs').nullable().comment('JSON of $DEVOPS_OUTPUT values');
    table.text('executor_handle').nullable().comment('JSON: where the task runs');
    table.unique(['run_id', 'stage_index', 'task_index']);
  });

  await knex.schema.createTable('log_chunks', table => {
    table.comment('Batched, timestamped log lines of a run, in order');
    table
      .string('run_id')
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('seq').notNullable().comment('Position in the run log, from 1');
    table.string('task_run_id').nullable().comment('Null for lines about the whole run');
    table.dateTime('created_at', { useTz: true }).notNullable();
    table.text('text').notNullable().comment('Lines, each "<ISO time> <text>\\n"');
    table.primary(['run_id', 'seq']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('log_chunks');
  await knex.schema.dropTable('task_runs');
  await knex.schema.dropTable('runs');
  await knex.schema.dropTable('pipelines');
};
