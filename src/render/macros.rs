//! The macros that write list and page views' `Serialize` implementations.

/// Defines a list view (a claim, source or actor as shown in lists) whose fields can also
/// be written at the top level of a page view, as `page_view!` does; `#[serde(flatten)]`
/// would do the same but makes the template engine allocate every key as a string.
macro_rules! link_view {
    ($(#[$m:meta])* struct $name:ident { $($field:ident: $ty:ty,)* }) => {
        $(#[$m])*
        pub(super) struct $name {
            $(pub(super) $field: $ty,)*
        }
        impl $name {
            pub(super) const FIELDS: usize = [$(stringify!($field)),*].len();
            pub(super) fn fields<M: SerializeStruct>(&self, m: &mut M) -> Result<(), M::Error> {
                $(m.serialize_field(stringify!($field), &self.$field)?;)*
                Ok(())
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_struct(stringify!($name), Self::FIELDS)?;
                self.fields(&mut m)?;
                m.end()
            }
        }
    };
}

/// Defines a page view: its `link` (a `link_view!`) followed by its own fields, all at
/// one level, as templates see them (`claim.title`, `claim.references`).
macro_rules! page_view {
    ($(#[$m:meta])* struct $name:ident { link: $link:ty, $($(#[$fm:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$m])*
        pub(super) struct $name {
            pub(super) link: $link,
            $($(#[$fm])* pub(super) $field: $ty,)*
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let own = [$(stringify!($field)),*].len();
                let mut m = s.serialize_struct(stringify!($name), <$link>::FIELDS + own)?;
                self.link.fields(&mut m)?;
                $(m.serialize_field(stringify!($field), &self.$field)?;)*
                m.end()
            }
        }
    };
}
