"""privacy: personal-data spans and purge time on mentions, session generation, login throttle

Revision ID: 0002_privacy
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_privacy'
down_revision = '0002_reply_path'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('mentions', sa.Column('pii_spans', sa.JSON(), nullable=True))
    op.add_column('mentions', sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index('ix_login_throttle_last_failure_at', 'login_throttle', ['last_failure_at'])


def downgrade() -> None:
    op.drop_index('ix_login_throttle_last_failure_at', table_name='login_throttle')
    op.drop_table('login_throttle')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_generation')
    with op.batch_alter_table('mentions') as batch:
        batch.drop_column('purged_at')
        batch.drop_column('pii_spans')
