/*
 * schema.h: internal to lib/. The term prefixes and value slots of the
 * index — the one place they are defined (docs/TERMS.md describes them for
 * readers). Changing any of them means bumping PS_INDEX_FORMAT.
 *
 * Free-text terms of a passage, for each syllable token t with fold f:
 *   t            exact canonical syllable        wdf, no positions
 *   F f          folded syllable                 wdf + positions
 *   B t1 t2      exact bigram (adjacent tokens)  wdf
 *   C f1 f2      folded bigram                   wdf
 * Positions live on the folded terms only: phrase and proximity queries
 * run on folds (so they work typed without diacritics) and exact bigrams
 * restore precision for diacritic queries, which halves position data.
 */
#ifndef PS_INDEX_SCHEMA_H
#define PS_INDEX_SCHEMA_H

/* free text */
#define PFX_FOLD "F"
#define PFX_BIGRAM "B"
#define PFX_FOLD_BIGRAM "C"
/* document numbers, weighted (wdf 1) so a number query ranks */
#define PFX_NUMBER "N"        /* full key: N57-NQ-TW */
#define PFX_NUMBER_SHORT "XS" /* short key: XS57-NQ */
#define PFX_CITES "R"         /* key of a number the text mentions */
#define PFX_ARTICLE "XA"      /* passage inside Điều N: XA5 */
#define PFX_TITLE "S"         /* document record: folded word of type + title */
/* boolean (wdf 0) */
#define PFX_ID "Q"            /* document record: Q + doc key */
#define PFX_GROUP "G"         /* every record of a document: G + doc key */
#define PFX_KIND "K"          /* Kd: document record, Kp: passage */
#define PFX_TYPE "T"          /* type slug: Tnghi-quyet */
#define PFX_ISSUER "I"        /* issuer slug: Ibo-chinh-tri */
#define PFX_YEAR "Y"          /* Y2024 */
#define PFX_ACCESS "A"        /* A0 public .. A3 secret */
#define PFX_PKIND "XK"        /* passage kind: XKdieu */
#define PFX_REL "XR"          /* document record: XR<kind>:<key> */

#define KIND_DOC "Kd"
#define KIND_PASSAGE "Kp"

/* value slots */
#define SLOT_DOCKEY 0     /* collapse key: doc key US type US issuer US year */
#define SLOT_DATE 1       /* "YYYYMMDD" */
#define SLOT_ORDINAL 2    /* passage ordinal, 4 bytes big-endian */
#define SLOT_TYPE 3       /* type display form (facets) */
#define SLOT_ISSUER 4     /* issuer display form (facets) */
#define SLOT_YEAR 5       /* "2024" (facets) */
#define SLOT_ACCESS 6     /* "0".."3" */
#define SLOT_UNITKEY 7    /* collapse key of passage mode: doc key + article */
#define SLOT_SOURCE 8     /* document record: "size mtime hash" US source US id */

/* metadata keys */
#define META_FORMAT "polsearch.format"
#define META_UPDATED "polsearch.updated"

#endif
