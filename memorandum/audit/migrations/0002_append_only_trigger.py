"""On PostgreSQL, the database itself refuses to change or delete an audit entry.

The one UPDATE allowed is the ``SET NULL`` Django performs when the acting user or a
content type is deleted (the entry keeps its stored labels). TRUNCATE, which the test
runner uses to empty tables, does not fire row triggers. SQLite relies on the model and
queryset guards.
"""

from django.db import migrations

CREATE = [
    """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - 'actor_id' - 'content_type_id')
           = (to_jsonb(OLD) - 'actor_id' - 'content_type_id')
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND (NEW.content_type_id IS NULL OR NEW.content_type_id = OLD.content_type_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_log")]

    operations = [migrations.RunPython(create, drop)]
