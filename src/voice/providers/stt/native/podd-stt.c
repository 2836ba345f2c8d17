/*
 * podd-stt: a streaming pocketsphinx decoder driven over stdin/stdout.
 *
 * pocketsphinx_continuous gives no partial hypotheses and cannot be told "the utterance ends
 * now", which a push-to-talk device needs; this small wrapper gives both.
 *
 * stdin carries framed messages, so audio and control share one pipe (no FIFOs):
 *   'A' <uint32 LE byte count> <16 kHz mono s16le samples>   audio
 *   'E'                                                      end the current utterance now
 *   'Q'                                                      quit
 * stdout carries one JSON object per line:
 *   {"type":"ready"}                           decoder loaded
 *   {"type":"speech-start"}                    pocketsphinx's own VAD heard speech
 *   {"type":"partial","text":"..."}            hypothesis so far (only when it changes)
 *   {"type":"final","text":"...","score":N}     utterance result (own VAD end, or 'E')
 *   {"type":"speech-end"}                      after the final of an utterance that had speech
 *   {"type":"flushed"}                         answer to 'E', always after any final it caused
 *
 * Options before pocketsphinx's own (which follow unchanged, e.g. -hmm -dict -lm -vad_postspeech):
 *   --general-lm <lm>        hear free speech too: decode with -lm interpolated with this general
 *                            English model (-dict must then cover both vocabularies)
 *   --general-weight <w>     the general model's interpolation weight (default 0.3)
 *   --partial-ms <n>         partial hypothesis interval (default 100)
 *   --no-auto-end            only 'E' ends an utterance
 *
 * One decoder rather than a domain and a general one side by side: scoring the acoustic model
 * is ~70 % of a decoder's time and would be paid twice, while one search over both models'
 * words costs little more than the domain's alone, and it mixes the two within an utterance.
 */
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <sphinxbase/ngram_model.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHUNK_BYTES (16000 * 2 * 10)

static ps_decoder_t *ps;
static int utt_open = 0;     /* ps_start_utt called, ps_end_utt not yet */
static int had_speech = 0;   /* this utterance contained speech per the decoder's VAD */
static int was_in_speech = 0;
static long samples_since_partial = 0;
static long partial_samples = 1600;
static int auto_end = 1;
static char last_partial[4096];

static void emit_text(const char *type, const char *text, int with_score, int32 score) {
  /* JSON string escaping: the dictionary's words are ASCII, but stay safe for anything. */
  fputs("{\"type\":\"", stdout);
  fputs(type, stdout);
  fputs("\",\"text\":\"", stdout);
  for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
    if (*p == '"' || *p == '\\') { fputc('\\', stdout); fputc(*p, stdout); }
    else if (*p < 0x20) fprintf(stdout, "\\u%04x", *p);
    else fputc(*p, stdout);
  }
  fputc('"', stdout);
  if (with_score) fprintf(stdout, ",\"score\":%d", (int)score);
  fputs("}\n", stdout);
  fflush(stdout);
}

static void emit(const char *type) {
  fprintf(stdout, "{\"type\":\"%s\"}\n", type);
  fflush(stdout);
}

static void finish_utterance(void) {
  if (!utt_open) return;
  ps_end_utt(ps);
  utt_open = 0;
  int32 score = 0;
  const char *hyp = ps_get_hyp(ps, &score);
  /* An utterance without speech is not a turn: say nothing, as pocketsphinx_continuous does. */
  if (had_speech || (hyp && *hyp)) {
    emit_text("final", hyp, 1, score);
    emit("speech-end");
  }
  had_speech = 0;
  was_in_speech = 0;
  samples_since_partial = 0;
  last_partial[0] = 0;
}

static void process_audio(int16 *buf, size_t n) {
  if (!utt_open) {
    if (ps_start_utt(ps) < 0) { fprintf(stderr, "start_utt failed\n"); exit(3); }
    utt_open = 1;
  }
  ps_process_raw(ps, buf, n, FALSE, FALSE);
  int in_speech = ps_get_in_speech(ps);
  if (in_speech && !was_in_speech && !had_speech) {
    had_speech = 1;
    emit("speech-start");
  }
  if (in_speech) {
    samples_since_partial += (long)n;
    if (samples_since_partial >= partial_samples) {
      samples_since_partial = 0;
      int32 score;
      const char *hyp = ps_get_hyp(ps, &score);
      if (hyp && *hyp && strncmp(hyp, last_partial, sizeof last_partial - 1) != 0) {
        strncpy(last_partial, hyp, sizeof last_partial - 1);
        emit_text("partial", hyp, 0, 0);
      }
    }
  }
  if (auto_end && was_in_speech && !in_speech) finish_utterance();
  else was_in_speech = in_speech;
}

static int read_exact(void *dst, size_t n) {
  return fread(dst, 1, n, stdin) == n ? 0 : -1;
}

/*
 * The domain model interpolated with the general one, sharing one word space: a word only the
 * general model knows still gets its general probability scaled by w instead of none.
 * The set adds each weight's log to a submodel's score after that score has been multiplied by
 * the language weight, so a weight acts only as its lw-th root; raising it to the power lw here
 * gives w its plain meaning.
 */
static int use_interpolated_lm(cmd_ln_t *config, const char *general_lm, double w) {
  logmath_t *lmath = ps_get_logmath(ps);
  ngram_model_t *models[2];
  models[0] = ngram_model_read(config, cmd_ln_str_r(config, "-lm"), NGRAM_AUTO, lmath);
  models[1] = ngram_model_read(config, general_lm, NGRAM_AUTO, lmath);
  if (!models[0] || !models[1]) return -1;
  char *names[2] = { "domain", "general" };
  double lw = cmd_ln_float32_r(config, "-lw");
  float32 weights[2] = { (float32)pow(1 - w, lw), (float32)pow(w, lw) };
  ngram_model_t *set = ngram_model_set_init(config, models, names, weights, 2);
  /* Lives as long as the process: not freed, whoever of the decoder and the set owns what. */
  if (!set || ps_set_lm(ps, "free", set) < 0) return -1;
  return ps_set_search(ps, "free");
}

int main(int argc, char **argv) {
  const char *general_lm = NULL;
  double general_weight = 0.3;
  int i = 1;
  for (; i < argc; i++) {
    if (!strcmp(argv[i], "--general-lm") && i + 1 < argc) general_lm = argv[++i];
    else if (!strcmp(argv[i], "--general-weight") && i + 1 < argc) general_weight = atof(argv[++i]);
    else if (!strcmp(argv[i], "--partial-ms") && i + 1 < argc) partial_samples = atol(argv[++i]) * 16;
    else if (!strcmp(argv[i], "--no-auto-end")) auto_end = 0;
    else if (!strcmp(argv[i], "--")) { i++; break; }
    else break;
  }
  /* pocketsphinx's INFO chatter would otherwise fill stderr per stream. */
  if (!getenv("PODD_STT_DEBUG")) err_set_logfp(NULL);
  /* cmd_ln treats a leading argument that starts with '-' as an option, so hand it argv[0]. */
  argv[i - 1] = argv[0];
  cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), argc - i + 1, argv + i - 1, TRUE);
  if (!config) { fprintf(stderr, "bad pocketsphinx arguments\n"); return 2; }
  ps = ps_init(config);
  if (!ps) { fprintf(stderr, "decoder init failed\n"); return 2; }
  if (general_lm && use_interpolated_lm(config, general_lm, general_weight) < 0) { fprintf(stderr, "general model failed to load\n"); return 2; }
  emit("ready");

  static int16 buf[MAX_CHUNK_BYTES / 2];
  for (;;) {
    int type = fgetc(stdin);
    if (type == EOF || type == 'Q') break;
    if (type == 'E') { finish_utterance(); emit("flushed"); continue; }
    if (type != 'A') { fprintf(stderr, "bad message type %d\n", type); return 4; }
    unsigned char lenb[4];
    if (read_exact(lenb, 4) < 0) break;
    uint32_t len = (uint32_t)lenb[0] | ((uint32_t)lenb[1] << 8) | ((uint32_t)lenb[2] << 16) | ((uint32_t)lenb[3] << 24);
    if (len > MAX_CHUNK_BYTES || (len & 1)) { fprintf(stderr, "bad audio length\n"); return 4; }
    if (read_exact(buf, len) < 0) break;
    process_audio(buf, len / 2);
  }
  finish_utterance();
  ps_free(ps);
  return 0;
}
