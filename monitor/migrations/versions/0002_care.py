"""care team: notes, tags, saved views, notifications, case fields, and the indexes the pages need

Revision ID: 0002_care
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_care'
down_revision = '0002_faults'
branch_labels = None
depends_on = None

# (name, table, columns): each one serves a page query (see docs/care.md, "Page speed").
INDEXES = [
    ('ix_cases_sla', 'cases', ['sla_due_at', 'id']),                      # inbox order + keyset
    ('ix_cases_state_sla', 'cases', ['state', 'sla_due_at', 'id']),       # open inbox, counts
    ('ix_cases_queue_state', 'cases', ['queue', 'state', 'sla_due_at']),  # queue filter + badges
    ('ix_cases_assignee_state', 'cases', ['assignee_id', 'state']),       # "mine", round-robin
    ('ix_cases_created', 'cases', ['created_at']),                        # response times, export
    ('ix_mentions_created', 'mentions', ['created_at']),                  # dashboard volume
    ('ix_mentions_author', 'mentions', ['platform', 'author_id', 'created_at']),  # author history
    ('ix_mentions_handle', 'mentions', ['platform', 'author_handle', 'created_at']),
    ('ix_mentions_thread', 'mentions', ['platform', 'thread_id']),        # thread context
    ('ix_audit_action', 'audit_events', ['action', 'id']),                # audit filter
    ('ix_drafts_state', 'drafts', ['state']),                             # approvals, badges
    ('ix_notifications_user', 'notifications', ['user_id', 'read_at']),
]


def upgrade() -> None:
    with op.batch_alter_table('users') as b:
        b.add_column(sa.Column('away', sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column('last_assigned_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('cases') as b:
        b.add_column(sa.Column('case_type', sa.String(32), nullable=False, server_default=''))
        b.add_column(sa.Column('close_reason', sa.String(64), nullable=False, server_default=''))
        b.add_column(sa.Column('why', sa.JSON(), nullable=False, server_default='{}'))
        b.add_column(sa.Column('team', sa.String(64), nullable=False, server_default=''))
    with op.batch_alter_table('alert_deliveries') as b:
        b.add_column(sa.Column('event', sa.String(96), nullable=False, server_default=''))
        b.add_column(sa.Column('message', sa.Text(), nullable=False, server_default=''))
        b.drop_constraint('uq_alert_mention_channel', type_='unique')
        b.create_unique_constraint('uq_alert_mention_channel_event', ['mention_id', 'channel', 'event'])
    op.create_table(
        'case_notes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), nullable=False, index=True),
        sa.Column('author_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'case_tags',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), nullable=False, index=True),
        sa.Column('tag', sa.String(48), nullable=False, index=True),
        sa.UniqueConstraint('case_id', 'tag', name='uq_case_tag'),
    )
    op.create_table(
        'saved_views',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False, index=True),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('query', sa.String(1000), nullable=False),
        sa.UniqueConstraint('user_id', 'name', name='uq_saved_view_name'),
    )
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('key', sa.String(96), nullable=False),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint('user_id', 'key', name='uq_notification_user_key'),
    )
    op.create_table(
        'volume_days',
        sa.Column('day', sa.String(10), primary_key=True),
        sa.Column('sentiment', sa.String(16), primary_key=True),
        sa.Column('count', sa.Integer(), nullable=False),
    )
    marks = op.create_table(
        'rollup_marks',
        sa.Column('name', sa.String(32), primary_key=True),
        sa.Column('upto', sa.Integer(), nullable=False),
    )
    op.bulk_insert(marks, [{'name': 'volume', 'upto': 0}])
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    # The open inbox, in SLA order: a partial index holds only the few open cases, whatever the history.
    open_only = sa.text("state IN ('new', 'assigned')")
    op.create_index('ix_cases_open_sla', 'cases', ['sla_due_at', 'id'], postgresql_where=open_only,
                    sqlite_where=open_only)


def downgrade() -> None:
    op.drop_index('ix_cases_open_sla', table_name='cases')
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    for table in ('rollup_marks', 'volume_days', 'notifications', 'saved_views', 'case_tags', 'case_notes'):
        op.drop_table(table)
    with op.batch_alter_table('alert_deliveries') as b:
        b.drop_constraint('uq_alert_mention_channel_event', type_='unique')
        b.create_unique_constraint('uq_alert_mention_channel', ['mention_id', 'channel'])
        b.drop_column('message')
        b.drop_column('event')
    with op.batch_alter_table('cases') as b:
        for column in ('team', 'why', 'close_reason', 'case_type'):
            b.drop_column(column)
    with op.batch_alter_table('users') as b:
        b.drop_column('last_assigned_at')
        b.drop_column('away')
