#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: these typed
// wrappers pass one argument of the type each option expects.

static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_write_function(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode ccurl_setopt_opensocket_function(CURL *handle, curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

static inline CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

/// The socket value libcurl treats as "no socket" (refuses the connection).
static inline curl_socket_t ccurl_bad_socket(void) {
    return CURL_SOCKET_BAD;
}

/// The known_hosts check of an sftp transfer: only a key the file lists for the host passes; a
/// mismatched or missing one is refused. `clientp` points at an int that records what was found
/// (a `enum curl_khmatch`), so the refusal can say which.
static inline int ccurl_strict_known_host(CURL *easy, const struct curl_khkey *knownkey,
                                          const struct curl_khkey *foundkey, enum curl_khmatch match, void *clientp) {
    (void)easy; (void)knownkey; (void)foundkey;
    if (clientp) { *(int *)clientp = (int)match; }
    return match == CURLKHMATCH_OK ? CURLKHSTAT_FINE : CURLKHSTAT_REJECT;
}

static inline CURLcode ccurl_setopt_strict_known_hosts(CURL *handle, int *match) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_SSH_KEYFUNCTION, ccurl_strict_known_host);
    if (code != CURLE_OK) { return code; }
    return curl_easy_setopt(handle, CURLOPT_SSH_KEYDATA, (void *)match);
}
