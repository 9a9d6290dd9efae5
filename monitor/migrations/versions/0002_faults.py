"""dead letters for refused records, shared webhook state

Revision ID: 0002_faults
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_faults'
down_revision = '0002_privacy'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dead_letters',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('platform', sa.Text(), nullable=False),
        sa.Column('external_id', sa.Text(), nullable=False),
        sa.Column('origin', sa.Text(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('truncated', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('retried_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_dead_letters_status', 'dead_letters', ['status'])
    op.create_table(
        'webhook_state',
        sa.Column('key', sa.String(length=128), primary_key=True),
        sa.Column('next_send_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('paused_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('last_error_at', sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table('webhook_state')
    op.drop_index('ix_dead_letters_status', table_name='dead_letters')
    op.drop_table('dead_letters')
