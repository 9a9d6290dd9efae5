"""incidents: mention vectors, incidents and their members, spikes, incident message outbox, holding statements

Revision ID: 0002_incidents
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_incidents'
down_revision = '0002_care'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'mention_vectors',
        sa.Column('mention_id', sa.Integer(), sa.ForeignKey('mentions.id'), primary_key=True),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', TS, nullable=False),
    )
    op.create_table(
        'incidents',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('brand', sa.String(128), nullable=False),
        sa.Column('title', sa.String(255), nullable=False),
        sa.Column('state', sa.String(16), nullable=False, index=True),
        sa.Column('started_at', TS, nullable=False),
        sa.Column('last_at', TS, nullable=False),
        sa.Column('closed_at', TS, nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('centroid', sa.LargeBinary(), nullable=False),
        sa.Column('merged_into_id', sa.Integer(), sa.ForeignKey('incidents.id'), nullable=True),
        sa.Column('last_digest_at', TS, nullable=True),
        sa.Column('digested_size', sa.Integer(), nullable=False),
        sa.Column('created_at', TS, nullable=False),
    )
    op.create_table(
        'incident_mentions',
        sa.Column('mention_id', sa.Integer(), sa.ForeignKey('mentions.id'), primary_key=True),
        sa.Column('incident_id', sa.Integer(), sa.ForeignKey('incidents.id'), nullable=False, index=True),
        sa.Column('similarity', sa.Float(), nullable=False),
        sa.Column('added_at', TS, nullable=False),
    )
    op.create_table(
        'spikes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('brand', sa.String(128), nullable=False),
        sa.Column('scope', sa.String(64), nullable=False),
        sa.Column('metric', sa.String(16), nullable=False),
        sa.Column('state', sa.String(16), nullable=False, index=True),
        sa.Column('started_at', TS, nullable=False),
        sa.Column('last_bucket_at', TS, nullable=False),
        sa.Column('ended_at', TS, nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('baseline', sa.Float(), nullable=False),
        sa.Column('peak', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('quiet_buckets', sa.Integer(), nullable=False),
    )
    op.create_table(
        'incident_messages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(160), nullable=False, unique=True),
        sa.Column('channel', sa.String(64), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('blocks', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(16), nullable=False, index=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', TS, nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('sent_at', TS, nullable=True),
    )
    op.create_table(
        'holding_statements',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('incident_id', sa.Integer(), sa.ForeignKey('incidents.id'), nullable=False, index=True),
        sa.Column('language', sa.String(16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('private', sa.Boolean(), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('verdict', sa.JSON(), nullable=False),
        sa.Column('action', sa.String(8), nullable=False),
        sa.Column('author_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('approver_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('approved_at', TS, nullable=True),
        sa.UniqueConstraint('incident_id', 'language', name='uq_statement_incident_language'),
    )


def downgrade() -> None:
    for table in ('holding_statements', 'incident_messages', 'spikes', 'incident_mentions', 'incidents', 'mention_vectors'):
        op.drop_table(table)
