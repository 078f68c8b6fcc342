/* ms_mime.h - internals of the MIME import/export (libmapistore_mime). */
#ifndef MS_MIME_H
#define MS_MIME_H
void ms__gmime_init(void);
#endif
