"""contribution links and import cursors

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contribution_links",
        sa.Column("from_id", sa.String(length=200), nullable=False),
        sa.Column("to_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["from_id"], ["contributions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_id"], ["contributions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("from_id", "to_id", "kind"),
    )
    with op.batch_alter_table("contribution_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contribution_links_to_id"), ["to_id"], unique=False)
    op.create_table(
        "import_cursors",
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("position", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )


def downgrade() -> None:
    op.drop_table("import_cursors")
    with op.batch_alter_table("contribution_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_links_to_id"))
    op.drop_table("contribution_links")
