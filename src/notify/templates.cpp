// The texts of notification mails, in Russian and English (the account's language is not known).
#include "notify/notify.hpp"

namespace suflyor::notify {
namespace {

struct FeatureTexts {
    std::string_view ru;
    std::string_view en;
    std::string_view how_ru;
    std::string_view how_en;
};

FeatureTexts texts_of(center::Feature feature) {
    switch (feature) {
    case center::Feature::whisper_listen:
        return {
            "Суфлирование и прослушивание", "Whisper and listen",
            "Как пользоваться: откройте «Команда» (меню с названием аккаунта справа вверху) или\n"
            "«Проекты» → название проекта → «Состояние проекта», нажмите на время разговора\n"
            "сотрудника и выберите «Прослушать» или «Суфлировать». Клиент вас не слышит: при\n"
            "прослушивании вы слышите разговор, при суфлировании вас слышит только сотрудник.\n",
            "How to use it: open Team (the account name menu, top right) or Projects → a\n"
            "project's name → Project state, click the time an employee has been talking and\n"
            "choose Listen or Whisper. The client never hears you: with Listen you hear the\n"
            "call, with Whisper only the employee hears you.\n"};
    }
    return {"", "", "", ""};
}

} // namespace

std::string_view feature_name_ru(center::Feature feature) { return texts_of(feature).ru; }
std::string_view feature_name_en(center::Feature feature) { return texts_of(feature).en; }

Mail feature_connected_mail(const center::Account& account, center::Feature feature,
                            std::string_view to) {
    const auto t = texts_of(feature);
    const std::string ru(t.ru), en(t.en);
    Mail mail{account.id, to.empty() ? account.contact_email : std::string(to), {}, {}};
    mail.subject = "Возможность «" + ru + "» подключена / " + en + " is connected";
    mail.body =
        "Здравствуйте!\n\n"
        "Для аккаунта «" +
        account.name + "» подключена возможность «" + ru + "».\n\n" + std::string(t.how_ru) +
        "\nОтключить её можно в разделе «Баланс» → «Тариф и возможности»: значок шестерёнки\n"
        "в строке возможности → «Отключить».\n"
        "\n----\n\n"
        "Hello,\n\n" +
        en + " is now connected for the account \"" + account.name + "\".\n\n" +
        std::string(t.how_en) +
        "\nTo turn it off: Balance → Tariff and features, the gear icon on its row →\n"
        "Disable.\n"
        "\n-- \nSuflyor\n";
    return mail;
}

} // namespace suflyor::notify
