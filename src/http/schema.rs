//! OpenAPI schemas built from declared columns (`model::column::Column`), so that a row type's
//! document says what its columns say: type, format, bounds and description.

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};

use crate::model::column::{Column, ColumnKind};

/// The schema of one column's values.
pub(crate) fn column_schema(c: &Column) -> Schema {
    let b = ObjectBuilder::new().description(Some(c.description));
    let b = match c.kind {
        ColumnKind::Text | ColumnKind::Key => b.schema_type(Type::String),
        ColumnKind::Date => b
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        ColumnKind::YesNo => b.schema_type(Type::Boolean),
        ColumnKind::Integer => b
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0)),
        ColumnKind::Share => b
            .schema_type(Type::Number)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
            .minimum(Some(0))
            .maximum(Some(1)),
        ColumnKind::Decimal | ColumnKind::Euro => b
            .schema_type(Type::Number)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
            .minimum(Some(0)),
    };
    Schema::Object(b.build())
}

/// An object with every column as a required property.
pub(crate) fn object_of(description: &str, columns: &[Column]) -> RefOr<Schema> {
    let mut b = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(description));
    for c in columns {
        b = b.property(c.name, column_schema(c)).required(c.name);
    }
    RefOr::T(Schema::Object(b.build()))
}
