"""member preferences, the live revision counter, keys bound to members

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_preferences",
        sa.Column("member_id", sa.String(length=200), nullable=False),
        sa.Column("discoverable", sa.Boolean(), nullable=True),
        sa.Column("away_until", sa.Date(), nullable=True),
        sa.Column("hidden_topics", sa.JSON(), nullable=False),
        sa.Column("mentor_capacity", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member_id"),
    )
    live = op.create_table(
        "live_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(live, [{"id": 1, "revision": 0}])
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("member_id", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("member_id")
    op.drop_table("live_revision")
    op.drop_table("member_preferences")
