/* ms_mime.h - internals of the MIME import/export (libmapistore_mime). */
#ifndef MS_MIME_H
#define MS_MIME_H
void ms__gmime_init(void);
/* RFC 2047 decoding of a raw unstructured header value; UTF-8, g_free(). */
typedef struct _GMimeParserOptions GMimeParserOptions;
char *ms__rfc2047_decode(const char *raw, GMimeParserOptions *opts);
#endif
