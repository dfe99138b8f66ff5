/**
 * Unsaved work kept in localStorage until it is saved as a version.
 * One draft per process (or per "new" page): { xml, baseEtag, baseVersion, savedAt }.
 */

var PREFIX = 'prozessatlas:draft:';

/**
 * @param {string} key process id
 */
export function createDraftStore(key) {
  var storageKey = PREFIX + key;

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  return {
    key: storageKey,

    load: function() {
      var store = storage();
      if (!store) {
        return null;
      }
      try {
        var raw = store.getItem(storageKey);
        var draft = raw ? JSON.parse(raw) : null;
        return draft && typeof draft.xml === 'string' ? draft : null;
      } catch (e) {
        return null;
      }
    },

    save: function(draft) {
      var store = storage();
      if (!store) {
        return false;
      }
      try {
        store.setItem(storageKey, JSON.stringify(Object.assign({ savedAt: new Date().toISOString() }, draft)));
        return true;
      } catch (e) {

        // quota exceeded: the page still warns before leaving
        return false;
      }
    },

    clear: function() {
      var store = storage();
      if (store) {
        store.removeItem(storageKey);
      }
    }
  };
}
