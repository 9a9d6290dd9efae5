"""reply path: immutable draft versions, approval bound to a version hash, supersede, undo

Revision ID: 0002_reply_path
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_reply_path'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'draft_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('private', sa.Boolean(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('verdict', sa.JSON(), nullable=False),
        sa.Column('action', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id']),
        sa.ForeignKeyConstraint(['draft_id'], ['drafts.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('draft_id', 'number', name='uq_draft_version_number'),
    )
    op.create_index('ix_draft_versions_draft_id', 'draft_versions', ['draft_id'])
    op.create_table(
        'case_presence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'user_id', name='uq_case_presence'),
    )
    op.create_index('ix_case_presence_case_id', 'case_presence', ['case_id'])
    with op.batch_alter_table('drafts') as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('content_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('supersedes_post_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('supersede_reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('posts') as batch_op:
        batch_op.add_column(sa.Column('version_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('overridden', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('cancelled_by', sa.Integer(), sa.ForeignKey('users.id', name='fk_posts_cancelled_by'),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('posts') as batch_op:
        batch_op.drop_column('cancelled_by')
        batch_op.drop_column('overridden')
        batch_op.drop_column('version_hash')
    with op.batch_alter_table('drafts') as batch_op:
        batch_op.drop_column('supersede_reason')
        batch_op.drop_column('supersedes_post_id')
        batch_op.drop_column('content_hash')
        batch_op.drop_column('version')
    op.drop_index('ix_case_presence_case_id', table_name='case_presence')
    op.drop_table('case_presence')
    op.drop_index('ix_draft_versions_draft_id', table_name='draft_versions')
    op.drop_table('draft_versions')
